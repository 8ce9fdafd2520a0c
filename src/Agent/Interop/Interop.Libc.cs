using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

internal static unsafe partial class Interop
{
    internal const string Libc = "libc";

    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int ENOSPC = 28;

    internal const int O_RDONLY = 0;
    internal const int O_DIRECTORY = 0x10000;
    internal const int O_CLOEXEC = 0x80000;

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags);

    /// <summary>open with a NUL-terminated UTF-8 path built by the caller (no string per call).</summary>
    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true)]
    internal static partial int open(byte* path, int flags);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    internal static partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint readlink(string path, byte* buffer, nuint size);

    [LibraryImport(Libc, EntryPoint = "readlink", SetLastError = true)]
    internal static partial nint readlink(byte* path, byte* buffer, nuint size);

    /// <summary>glibc 2.33+ exports stat itself (before, only __xstat).</summary>
    [LibraryImport(Libc, EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int stat(string path, byte* buffer);

    internal const int AF_NETLINK = 16;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int NETLINK_SOCK_DIAG = 4;

    [LibraryImport(Libc, EntryPoint = "socket", SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Libc, EntryPoint = "send", SetLastError = true)]
    internal static partial nint send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Libc, EntryPoint = "recv", SetLastError = true)]
    internal static partial nint recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Libc, EntryPoint = "close")]
    internal static partial int close(int fd);

    [LibraryImport(Libc, EntryPoint = "geteuid")]
    internal static partial uint geteuid();

    internal const int MADV_DONTNEED = 4;

    [LibraryImport(Libc, EntryPoint = "madvise")]
    internal static partial int madvise(nint address, nuint length, int advice);

    /// <summary>The process's native environment, which OpenSSL and .NET's crypto shim read (Environment.SetEnvironmentVariable does not reach it).</summary>
    [LibraryImport(Libc, EntryPoint = "setenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int setenv(string name, string value, int overwrite);

    /// <summary>On x86-64 a va_list is an array type, so it is passed as a pointer.</summary>
    [LibraryImport(Libc, EntryPoint = "vsnprintf")]
    internal static partial int vsnprintf(byte* str, nuint size, byte* format, nint args);
}
