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
    public static int TryRead(string path, Span<byte> buffer)
    {
        var fd = Interop.open(path, Interop.O_RDONLY | Interop.O_CLOEXEC);
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

    /// <summary>A symbolic link's target (UTF-8), or "" when it cannot be read (gone, kernel thread, no permission).</summary>
    public static string ReadLink(string path)
    {
        Span<byte> buffer = stackalloc byte[4096];
        fixed (byte* target = buffer)
        {
            var length = Interop.readlink(path, target, (nuint)buffer.Length);
            return length <= 0 || length >= buffer.Length ? "" : System.Text.Encoding.UTF8.GetString(target, (int)length);
        }
    }
}
