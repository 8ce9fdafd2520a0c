namespace FleetNet.EndToEnd.Tests;

/// <summary>eBPF needs root. A privileged test fails without it, unless the developer opts out explicitly.</summary>
internal static class Privileges
{
    /// <summary>False only when not root and FLEETNET_ALLOW_UNPRIVILEGED_SKIP=1; fails the test when not root otherwise.</summary>
    public static bool Root()
    {
        if (Environment.UserName == "root")
        {
            return true;
        }

        Assert.True(Environment.GetEnvironmentVariable("FLEETNET_ALLOW_UNPRIVILEGED_SKIP") == "1",
            "this test loads eBPF programs and must run as root (set FLEETNET_ALLOW_UNPRIVILEGED_SKIP=1 to skip it on a workstation)");
        return false;
    }
}
