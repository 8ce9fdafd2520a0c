using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

/// <summary>Mirror of <c>struct fn_proc_key</c> in src/Agent/Bpf/fleetnet.h: a process (tgid, leader start time).</summary>
[StructLayout(LayoutKind.Sequential)]
internal record struct ProcKey
{
    public uint Tgid;
    public uint Pad;
    public ulong StartNs;
}
