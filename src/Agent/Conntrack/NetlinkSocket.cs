using System.Runtime.InteropServices;
using static FleetNet.Agent.Interop.Interop.Netlink;

namespace FleetNet.Agent.Conntrack;

/// <summary>
/// An AF_NETLINK socket (owned file descriptor). Request/dump only: send one request, read the replies
/// until NLMSG_DONE. A receive timeout bounds every read so a silent kernel cannot hang the sampler.
/// </summary>
internal sealed unsafe class NetlinkSocket : SafeHandle
{
    private NetlinkSocket() : base(-1, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == -1;

    /// <summary>Opens and binds a netlink socket of <paramref name="protocol"/>; false with errno on failure.</summary>
    public static bool TryOpen(int protocol, out NetlinkSocket socket, out int errno)
    {
        socket = new NetlinkSocket();
        var fd = Interop.Interop.Netlink.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return false;
        }

        socket.SetHandle(fd);
        var address = new SockaddrNl { Family = AF_NETLINK };
        var timeout = new Timeval { Seconds = 2 };
        var bufferSize = 4 * 1024 * 1024;
        if (bind(fd, &address, (uint)sizeof(SockaddrNl)) != 0
            || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, (uint)sizeof(Timeval)) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            socket.Dispose();
            return false;
        }

        // Best effort: a larger buffer makes ENOBUFS during big dumps less likely.
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufferSize, sizeof(int));
        errno = 0;
        return true;
    }

    public int Send(ReadOnlySpan<byte> message)
    {
        fixed (byte* p = message)
        {
            var sent = send((int)handle, p, (nuint)message.Length, 0);
            return sent < 0 ? -Marshal.GetLastPInvokeError() : (int)sent;
        }
    }

    /// <summary>Bytes received, or -errno (EAGAIN on timeout).</summary>
    public int Receive(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var received = recv((int)handle, p, (nuint)buffer.Length, 0);
                if (received >= 0)
                {
                    return (int)received;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR)
                {
                    return -errno;
                }
            }
        }
    }

    protected override bool ReleaseHandle() => close((int)handle) == 0;
}
