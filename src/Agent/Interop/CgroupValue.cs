using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

/// <summary>Mirror of <c>struct fn_cg_value</c> in src/Agent/Bpf/fleetnet.h (cumulative IP packet bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CgroupValue
{
    public ulong TxBytes;
    public ulong RxBytes;
    public ulong TxPackets;
    public ulong RxPackets;
}
