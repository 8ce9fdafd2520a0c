using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

/// <summary>Mirror of <c>struct fn_value</c> in src/Agent/Bpf/fleetnet.h (cumulative counters).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct UsageValue
{
    public ulong TxBytes;
    public ulong RxBytes;
    public ulong TxCalls;
    public ulong RxCalls;
    public uint Uid;
    public uint Pad;
    public CommBuffer Comm;

    /// <summary>char comm[16], NUL-terminated unless all 16 bytes are used.</summary>
    [InlineArray(16)]
    public struct CommBuffer
    {
        private byte _first;
    }
}
