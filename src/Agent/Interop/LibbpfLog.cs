using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Interop;

/// <summary>Routes libbpf's printf-style log (process-wide in libbpf) into an <see cref="ILogger"/>.</summary>
internal static unsafe partial class LibbpfLog
{
    private static ILogger? s_logger;

    /// <summary>Installs the callback; the latest logger wins, since libbpf keeps a single global printer.</summary>
    public static void Install(ILogger logger)
    {
        s_logger = logger;
        Interop.libbpf_set_print(&Print);
    }

    [UnmanagedCallersOnly]
    private static int Print(Interop.LibbpfPrintLevel level, byte* format, nint args)
    {
        var logger = s_logger;
        var logLevel = level == Interop.LibbpfPrintLevel.Warn ? LogLevel.Warning : LogLevel.Debug;
        if (logger is null || !logger.IsEnabled(logLevel))
        {
            return 0;
        }

        // A va_list may be consumed only once, so format into a fixed buffer and accept truncation.
        const int Size = 1024;
        var buffer = stackalloc byte[Size];
        var written = Interop.vsnprintf(buffer, Size, format, args);
        if (written < 0)
        {
            return 0;
        }

        var length = Math.Min(written, Size - 1);
        var message = Encoding.UTF8.GetString(buffer, length).TrimEnd('\n');
        if (logLevel == LogLevel.Warning)
        {
            LogWarning(logger, message);
        }
        else
        {
            LogDebug(logger, message);
        }

        return written;
    }
}
