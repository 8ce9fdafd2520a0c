using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Conntrack;

internal sealed partial class ConntrackCollector
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "conntrack not available: {Reason}")]
        public static partial void NotAvailable(ILogger logger, string reason);

        [LoggerMessage(2, LogLevel.Information, "conntrack available again")]
        public static partial void Available(ILogger logger);

        [LoggerMessage(3, LogLevel.Information, "conntrack accounting turned on ({Path})")]
        public static partial void AccountingEnabled(ILogger logger, string path);

        [LoggerMessage(4, LogLevel.Warning, "could not turn conntrack accounting on ({Path}): {Reason}")]
        public static partial void AccountingNotEnabled(ILogger logger, string path, string reason);

        [LoggerMessage(5, LogLevel.Warning, "{Count} malformed ctnetlink messages skipped")]
        public static partial void MalformedMessages(ILogger logger, int count);
    }
}
