using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

internal static unsafe partial class Interop
{
    internal const string Libc = "libc";

    internal const int ENOENT = 2;
    internal const int ENOSPC = 28;

    [LibraryImport(Libc, EntryPoint = "geteuid")]
    internal static partial uint geteuid();

    /// <summary>On x86-64 a va_list is an array type, so it is passed as a pointer.</summary>
    [LibraryImport(Libc, EntryPoint = "vsnprintf")]
    internal static partial int vsnprintf(byte* str, nuint size, byte* format, nint args);
}
