using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

internal static unsafe partial class Interop
{
    /// <summary>
    /// Raw netlink sockets (AF_NETLINK), which System.Net.Sockets.Socket cannot create, and setns for tests
    /// and tools that read another network namespace's conntrack table. Nested so its C names cannot clash
    /// with other Interop files.
    /// </summary>
    internal static partial class Netlink
    {
        internal const int AF_NETLINK = 16;
        internal const int SOCK_RAW = 3;
        internal const int SOCK_CLOEXEC = 0x80000;
        internal const int NETLINK_NETFILTER = 12;
        internal const int SOL_SOCKET = 1;
        internal const int SO_RCVBUF = 8;
        internal const int SO_RCVTIMEO = 20;
        internal const int SOL_NETLINK = 270;
        internal const int NETLINK_EXT_ACK = 11;
        internal const int CLONE_NEWNET = 0x40000000;
        internal const int EINTR = 4;
        internal const int EAGAIN = 11;
        internal const int ENOBUFS = 105;

        [StructLayout(LayoutKind.Sequential)]
        internal struct SockaddrNl
        {
            public ushort Family;
            public ushort Pad;
            public uint Pid;
            public uint Groups;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct Timeval
        {
            public long Seconds;
            public long Microseconds;
        }

        [LibraryImport(Libc, EntryPoint = "socket", SetLastError = true)]
        internal static partial int socket(int domain, int type, int protocol);

        [LibraryImport(Libc, EntryPoint = "bind", SetLastError = true)]
        internal static partial int bind(int fd, SockaddrNl* address, uint length);

        [LibraryImport(Libc, EntryPoint = "setsockopt", SetLastError = true)]
        internal static partial int setsockopt(int fd, int level, int name, void* value, uint length);

        [LibraryImport(Libc, EntryPoint = "send", SetLastError = true)]
        internal static partial nint send(int fd, byte* buffer, nuint length, int flags);

        [LibraryImport(Libc, EntryPoint = "recv", SetLastError = true)]
        internal static partial nint recv(int fd, byte* buffer, nuint length, int flags);

        [LibraryImport(Libc, EntryPoint = "close")]
        internal static partial int close(int fd);

        [LibraryImport(Libc, EntryPoint = "setns", SetLastError = true)]
        internal static partial int setns(int fd, int nstype);
    }
}
