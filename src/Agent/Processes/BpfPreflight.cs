using System.Runtime.InteropServices;

namespace FleetNet.Agent.Processes;

/// <summary>Checks, before touching libbpf, the things whose absence gives the clearest reason.</summary>
internal static class BpfPreflight
{
    private const int CapSysAdmin = 21;
    private const int CapPerfmon = 38;
    private const int CapBpf = 39;

    public static bool Check(AgentOptions options, ProcReader proc, out string reason)
    {
        if (!OperatingSystem.IsLinux())
        {
            reason = "not Linux";
            return false;
        }

        if (!HasPrivileges(proc))
        {
            reason = "not root and lacking CAP_BPF + CAP_PERFMON (or CAP_SYS_ADMIN)";
            return false;
        }

        if (!File.Exists(Path.Combine(options.SysRoot, "kernel", "btf", "vmlinux")))
        {
            reason = "kernel BTF missing (" + Path.Combine(options.SysRoot, "kernel", "btf", "vmlinux") + ")";
            return false;
        }

        if (LibbpfVersion() is null)
        {
            reason = "libbpf missing (" + Interop.Interop.Libbpf + " not found)";
            return false;
        }

        reason = "";
        return true;
    }

    /// <summary>libbpf's version ("v1.7"), or null when the agent is not linked with it and cannot load it.</summary>
    public static unsafe string? LibbpfVersion()
    {
        try
        {
            return Marshal.PtrToStringUTF8((nint)Interop.Interop.libbpf_version_string());
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }

    private static bool HasPrivileges(ProcReader proc)
    {
        if (Interop.Interop.geteuid() == 0)
        {
            return true;
        }

        if (!proc.TryReadEffectiveCapabilities(out var caps))
        {
            return false;
        }

        static bool Has(ulong mask, int cap) => (mask & (1UL << cap)) != 0;
        return Has(caps, CapSysAdmin) || (Has(caps, CapBpf) && Has(caps, CapPerfmon));
    }
}
