using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

/// <summary>Mirror of <c>struct fn_ep_value</c> in src/Agent/Bpf/fleetnet.h (cumulative counters).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct EndpointValue
{
    public ulong TxBytes;
    public ulong RxBytes;
    public ulong TxCalls;
    public ulong RxCalls;
}
