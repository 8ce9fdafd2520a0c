using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Pipeline;

internal sealed partial class Outbox
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Spool full: dropped its {Segments} oldest segments; the next batch reports the gap")]
        public static partial void SpoolFull(ILogger logger, int segments);

        [LoggerMessage(2, LogLevel.Error, "Spooled batch (epoch {Epoch}, seq {Seq}) can no longer be read; counted as lost")]
        public static partial void Unreadable(ILogger logger, ulong epoch, ulong seq);
    }
}
