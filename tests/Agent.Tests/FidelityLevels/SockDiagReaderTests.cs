using System.Buffers.Binary;
using FleetNet.Agent.FidelityLevels;

namespace FleetNet.Agent.Tests.FidelityLevels;

public sealed class SockDiagReaderTests
{
    [Fact]
    public void Parse_SocketWithTcpInfoThenDone_TupleInodeAndBytes()
    {
        var data = Concat(Socket(inode: 4242, acked: 70_000, received: 30_000), Done());
        var sockets = new List<SockDiagReader.TcpSocket>();

        Assert.True(SockDiagReader.Parse(data, sockets, out var done));

        Assert.True(done);
        var socket = Assert.Single(sockets);
        Assert.Equal(4242u, socket.Inode);
        Assert.Equal((70_000ul, 30_000ul), (socket.BytesAcked, socket.BytesReceived));
        Assert.Equal(new byte[] { 127, 0, 0, 1 }, socket.Remote);
        Assert.Equal((ushort)8080, socket.RemotePort);
        Assert.Equal((ushort)40000, socket.LocalPort);
    }

    [Fact]
    public void Parse_TruncatedSecondMessage_KeepsTheFirstAndReportsFailure()
    {
        var second = Socket(inode: 2, acked: 1, received: 1);
        var data = Concat(Socket(inode: 1, acked: 5, received: 6), second[..40]);
        var sockets = new List<SockDiagReader.TcpSocket>();

        Assert.False(SockDiagReader.Parse(data, sockets, out var done));

        Assert.False(done);
        Assert.Equal(1u, Assert.Single(sockets).Inode);
    }

    [Fact]
    public void Parse_ShortTcpInfo_SocketKeptWithZeroBytes()
    {
        var data = Socket(inode: 9, acked: 5, received: 6, infoLength: 100);
        var sockets = new List<SockDiagReader.TcpSocket>();

        Assert.True(SockDiagReader.Parse(data, sockets, out _));

        Assert.Equal((9u, 0ul, 0ul), (sockets[0].Inode, sockets[0].BytesAcked, sockets[0].BytesReceived));
    }

    private static byte[] Socket(uint inode, ulong acked, ulong received, int infoLength = 232)
    {
        var length = 16 + 72 + 4 + infoLength;
        var message = new byte[(length + 3) & ~3];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), 20);
        var msg = message.AsSpan(16);
        msg[0] = 2; // AF_INET
        BinaryPrimitives.WriteUInt16BigEndian(msg[4..], 40000);
        BinaryPrimitives.WriteUInt16BigEndian(msg[6..], 8080);
        msg[8] = 127;
        msg[11] = 1;
        msg[24] = 127;
        msg[27] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(msg[68..], inode);
        var attribute = msg[72..];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + infoLength));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute[2..], 2); // INET_DIAG_INFO
        if (infoLength >= 136)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(attribute[(4 + 120)..], acked);
            BinaryPrimitives.WriteUInt64LittleEndian(attribute[(4 + 128)..], received);
        }

        return message;
    }

    private static byte[] Done()
    {
        var message = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(message, 20);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), 3);
        return message;
    }

    private static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];
}
