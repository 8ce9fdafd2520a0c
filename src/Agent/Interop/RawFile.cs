using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

/// <summary>
/// Reads small /proc and /sys files with plain open/read/close: a file of a process that just exited is
/// an ordinary -1, not an exception, and no FileStream machinery (fstat, flock) runs per read. The
/// agent reads these files every interval and for every new process, so this is its hot path.
/// </summary>
internal static unsafe class RawFile
{
    /// <summary>Reads from the start up to buffer.Length bytes (or EOF); -1 when the file cannot be opened or read.</summary>
    public static int TryRead(string path, Span<byte> buffer) =>
        ReadAll(Interop.open(path, Interop.O_RDONLY | Interop.O_CLOEXEC), buffer);

    /// <summary>As <see cref="TryRead(string, Span{byte})"/>, with a NUL-terminated UTF-8 path.</summary>
    public static int TryRead(ReadOnlySpan<byte> pathZ, Span<byte> buffer)
    {
        fixed (byte* path = pathZ)
        {
            return ReadAll(Interop.open(path, Interop.O_RDONLY | Interop.O_CLOEXEC), buffer);
        }
    }

    /// <summary>
    /// A symbolic link's target (UTF-8, NUL-terminated path) into <paramref name="buffer"/>: its length, or
    /// -1 when it cannot be read or does not fit.
    /// </summary>
    public static int ReadLink(ReadOnlySpan<byte> pathZ, Span<byte> buffer)
    {
        fixed (byte* path = pathZ)
        fixed (byte* target = buffer)
        {
            var length = Interop.readlink(path, target, (nuint)buffer.Length);
            return length <= 0 || length >= buffer.Length ? -1 : (int)length;
        }
    }

    private static int ReadAll(int fd, Span<byte> buffer)
    {
        if (fd < 0)
        {
            return -1;
        }

        try
        {
            var total = 0;
            fixed (byte* start = buffer)
            {
                while (total < buffer.Length)
                {
                    var read = Interop.read(fd, start + total, (nuint)(buffer.Length - total));
                    if (read < 0)
                    {
                        if (Marshal.GetLastPInvokeError() == Interop.EINTR)
                        {
                            continue;
                        }

                        return -1;
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    total += (int)read;
                }
            }

            return total;
        }
        finally
        {
            Interop.close(fd);
        }
    }
}
