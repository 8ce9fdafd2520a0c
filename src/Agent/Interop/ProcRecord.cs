using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

/// <summary>Mirror of <c>struct fn_proc</c> in src/Agent/Bpf/fleetnet.h: identity recorded at exec or first traffic.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ProcRecord
{
    public uint Ppid;
    public uint Uid;
    public uint Exited;
    public uint Traffic;
    public UsageValue.CommBuffer Comm;
    public ExeBuffer Exe;

    /// <summary>char exe[256], NUL-terminated.</summary>
    [InlineArray(256)]
    public struct ExeBuffer
    {
        private byte _first;
    }
}
