using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

/// <summary>Mirror of <c>struct fn_key</c> in src/Agent/Bpf/fleetnet.h; a record for cheap dictionary equality.</summary>
[StructLayout(LayoutKind.Sequential)]
internal record struct UsageKey
{
    public uint Tgid;
    public uint Proto;
    public ulong StartNs;
    public ulong CgroupId;
    public ulong Netns;
}
