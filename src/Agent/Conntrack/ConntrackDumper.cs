using System.Buffers;
using FleetNet.Agent.Interop;

namespace FleetNet.Agent.Conntrack;

/// <summary>Runs one ctnetlink dump over a netlink socket and collects its entries.</summary>
internal static class ConntrackDumper
{
    private const int BufferSize = 64 * 1024;

    /// <summary>
    /// Dumps every conntrack entry of the socket's network namespace into <paramref name="into"/>.
    /// Returns 0, or the errno that ended it (EPERM: refused; ENOBUFS: the dump overran the socket buffer,
    /// entries read so far are kept). <paramref name="malformed"/> counts messages skipped as malformed.
    /// </summary>
    public static int Dump(NetlinkSocket socket, uint seq, List<ConntrackEntry> into, out int malformed)
    {
        malformed = 0;
        var sent = socket.Send(CtNetlink.DumpRequest(seq));
        if (sent < 0)
        {
            return -sent;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var received = socket.Receive(buffer);
                if (received < 0)
                {
                    return -received;
                }

                if (received == 0)
                {
                    return 0;
                }

                var result = CtNetlinkParser.Parse(buffer.AsSpan(0, received), into);
                malformed += result.Malformed;
                if (result.Done)
                {
                    return result.Error;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Opens a NETLINK_NETFILTER socket in the caller's network namespace.</summary>
    public static bool TryOpen(out NetlinkSocket socket, out int errno) =>
        NetlinkSocket.TryOpen(Interop.Interop.Netlink.NETLINK_NETFILTER, out socket, out errno);
}
