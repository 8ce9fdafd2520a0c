using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace FleetNet.Agent.FidelityLevels;

/// <summary>
/// Dumps TCP sockets over NETLINK_SOCK_DIAG (inet_diag_req_v2, both families) with their tcp_info:
/// bytes_acked (sent and acknowledged) and bytes_received per socket, with the socket's inode.
/// </summary>
internal sealed unsafe class SockDiagReader : IDisposable
{
    private const ushort SockDiagByFamily = 20;
    private const ushort NlmsgDone = 3;
    private const ushort NlmsgError = 2;
    private const ushort NlmFRequestDump = 0x1 | 0x300;
    private const byte InetDiagInfo = 2;
    private const int DiagMsgSize = 72;
    private const int BytesAckedOffset = 120;
    private const int BytesReceivedOffset = 128;

    private readonly int _fd;
    private readonly byte[] _buffer = new byte[65_536];
    private uint _seq;

    private SockDiagReader(int fd) => _fd = fd;

    /// <summary>One TCP socket: its tuple, inode and cumulative byte counters.</summary>
    internal readonly record struct TcpSocket(byte Family, byte[] Local, ushort LocalPort, byte[] Remote, ushort RemotePort, uint Inode, ulong Cookie, ulong BytesAcked, ulong BytesReceived);

    public static bool TryOpen(out SockDiagReader? reader, out string reason)
    {
        reader = null;
        var fd = Interop.Interop.socket(Interop.Interop.AF_NETLINK, Interop.Interop.SOCK_RAW | Interop.Interop.SOCK_CLOEXEC, Interop.Interop.NETLINK_SOCK_DIAG);
        if (fd < 0)
        {
            reason = "NETLINK_SOCK_DIAG socket refused: errno " + Marshal.GetLastPInvokeError();
            return false;
        }

        reader = new SockDiagReader(fd);
        reason = "";
        return true;
    }

    /// <summary>Appends every TCP socket of both families; false when the dump failed part-way (what was read stays).</summary>
    public bool TryDump(List<TcpSocket> into) => Dump(2, into) & Dump(10, into);

    public void Dispose() => Interop.Interop.close(_fd);

    private bool Dump(byte family, List<TcpSocket> into)
    {
        // nlmsghdr (16) + inet_diag_req_v2 (8 + 48-byte inet_diag_sockid, left zero: no filter).
        Span<byte> request = stackalloc byte[72];
        request.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(request, 72);
        BinaryPrimitives.WriteUInt16LittleEndian(request[4..], SockDiagByFamily);
        BinaryPrimitives.WriteUInt16LittleEndian(request[6..], NlmFRequestDump);
        BinaryPrimitives.WriteUInt32LittleEndian(request[8..], ++_seq);
        request[16] = family;
        request[17] = 6; // IPPROTO_TCP
        request[18] = 1 << (InetDiagInfo - 1);
        BinaryPrimitives.WriteUInt32LittleEndian(request[20..], uint.MaxValue); // every state
        fixed (byte* r = request)
        {
            if (Interop.Interop.send(_fd, r, 72, 0) != 72)
            {
                return false;
            }
        }

        while (true)
        {
            nint length;
            fixed (byte* b = _buffer)
            {
                length = Interop.Interop.recv(_fd, b, (nuint)_buffer.Length, 0);
            }

            if (length <= 0)
            {
                return false;
            }

            if (!Parse(_buffer.AsSpan(0, (int)length), into, out var done))
            {
                return false;
            }

            if (done)
            {
                return true;
            }
        }
    }

    /// <summary>Parses one recv's worth of netlink messages; a truncated message ends the parse, keeping the rest.</summary>
    internal static bool Parse(ReadOnlySpan<byte> data, List<TcpSocket> into, out bool done)
    {
        done = false;
        while (data.Length >= 16)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
            if (length < 16 || length > data.Length)
            {
                return false;
            }

            if (type == NlmsgDone)
            {
                done = true;
                return true;
            }

            if (type == NlmsgError)
            {
                done = true;
                return false;
            }

            if (type == SockDiagByFamily && length >= 16 + DiagMsgSize)
            {
                into.Add(ParseSocket(data[16..length]));
            }

            data = data[Math.Min(Align(length), data.Length)..];
        }

        return true;
    }

    private static TcpSocket ParseSocket(ReadOnlySpan<byte> msg)
    {
        var family = msg[0];
        var addressLength = family == 10 ? 16 : 4;
        var id = msg[4..52];
        ulong acked = 0, received = 0;
        var attributes = msg[DiagMsgSize..];
        while (attributes.Length >= 4)
        {
            var attrLength = BinaryPrimitives.ReadUInt16LittleEndian(attributes);
            var attrType = BinaryPrimitives.ReadUInt16LittleEndian(attributes[2..]);
            if (attrLength < 4 || attrLength > attributes.Length)
            {
                break;
            }

            var payload = attributes[4..attrLength];
            if (attrType == InetDiagInfo && payload.Length >= BytesReceivedOffset + 8)
            {
                acked = BinaryPrimitives.ReadUInt64LittleEndian(payload[BytesAckedOffset..]);
                received = BinaryPrimitives.ReadUInt64LittleEndian(payload[BytesReceivedOffset..]);
            }

            attributes = attributes[Math.Min(Align(attrLength), attributes.Length)..];
        }

        return new TcpSocket(
            family,
            id.Slice(4, addressLength).ToArray(),
            BinaryPrimitives.ReadUInt16BigEndian(id),
            id.Slice(20, addressLength).ToArray(),
            BinaryPrimitives.ReadUInt16BigEndian(id[2..]),
            BinaryPrimitives.ReadUInt32LittleEndian(msg[68..]),
            BinaryPrimitives.ReadUInt64LittleEndian(id[40..]),
            acked,
            received);
    }

    private static int Align(int length) => (length + 3) & ~3;
}
