using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

/// <summary>Mirror of <c>struct fn_cg_key</c> in src/Agent/Bpf/fleetnet.h.</summary>
[StructLayout(LayoutKind.Sequential)]
internal record struct CgroupKey
{
    public ulong CgroupId;
    public uint Proto;
    public uint Pad;
}
