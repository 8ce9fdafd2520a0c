using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

/// <summary>Mirror of <c>struct fn_ep_key</c> in src/Agent/Bpf/fleetnet.h: one process, one remote endpoint, one local port.</summary>
[StructLayout(LayoutKind.Sequential)]
internal record struct EndpointKey
{
    public uint Tgid;
    public uint Proto;
    public ulong StartNs;
    public ulong Netns;
    /// <summary>__u8 raddr[16] as two words (an inline array would break record equality): bytes 0-7.</summary>
    public ulong Raddr;

    /// <summary>Bytes 8-15 of raddr.</summary>
    public ulong RaddrTail;
    public ushort Rport;
    public ushort Lport;
    public ushort Family;
    public ushort Pad;

    /// <summary>The remote address: 4 bytes for IPv4, 16 for IPv6, network order.</summary>
    public readonly byte[] RemoteAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        MemoryMarshal.Write(bytes, Raddr);
        MemoryMarshal.Write(bytes[8..], RaddrTail);
        return Family == 10 ? bytes.ToArray() : bytes[..4].ToArray();
    }
}
