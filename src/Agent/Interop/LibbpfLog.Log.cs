using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Interop;

internal static partial class LibbpfLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "libbpf: {Message}")]
    private static partial void LogWarning(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "libbpf: {Message}")]
    private static partial void LogDebug(ILogger logger, string message);
}
