using FleetNet.Agent.Interop;

namespace FleetNet.Agent.Tests.Processes;

/// <summary>
/// A test that loads BPF into the running kernel. Without root it runs and fails with a clear message
/// (CI must never pass by skipping), unless FLEETNET_ALLOW_UNPRIVILEGED_SKIP=1 turns it into a skip.
/// </summary>
public sealed class PrivilegedFactAttribute : FactAttribute
{
    public const string AllowSkipVariable = "FLEETNET_ALLOW_UNPRIVILEGED_SKIP";

    public PrivilegedFactAttribute()
    {
        if (!IsRoot && Environment.GetEnvironmentVariable(AllowSkipVariable) == "1")
        {
            Skip = "needs root to load BPF; skipped because " + AllowSkipVariable + "=1";
        }
    }

    internal static bool IsRoot => global::FleetNet.Agent.Interop.Interop.geteuid() == 0;

    /// <summary>Call first in the test body: fails when not root (the skip case never reaches it).</summary>
    internal static void RequireRoot() =>
        Assert.True(IsRoot, "This test loads eBPF programs and must run as root (euid 0). Run it as root, or set "
            + AllowSkipVariable + "=1 to skip it explicitly on an unprivileged machine.");
}
