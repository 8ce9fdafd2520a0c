using FleetNet.Agent.Spool;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Pipeline;

/// <summary>Creates the agent's outbox: backed by the disk spool, or in memory when no spool directory is set or it cannot be opened.</summary>
internal static partial class OutboxFactory
{
    public static Outbox Create(AgentOptions options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger<Outbox>();
        if (string.IsNullOrEmpty(options.SpoolDirectory))
        {
            Log.MemoryOnly(logger);
            return new Outbox(options.MaxQueuedBatches, null, logger);
        }

        try
        {
            var spool = BatchSpool.Open(
                options.SpoolDirectory,
                options.SpoolMaxBytes,
                BatchSpool.DefaultSegmentBytes(options.SpoolMaxBytes),
                options.SpoolFsync,
                loggers.CreateLogger<BatchSpool>());
            return new Outbox(options.MaxQueuedBatches, spool, logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Keep counting: a monitoring agent that stops because its disk is read-only helps no one.
            Log.SpoolUnavailable(logger, options.SpoolDirectory, e.Message);
            return new Outbox(options.MaxQueuedBatches, null, logger);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "No SpoolDirectory set: unacked batches are kept in memory only and lost if the agent stops")]
        public static partial void MemoryOnly(ILogger logger);

        [LoggerMessage(2, LogLevel.Error, "Cannot open the spool in {Directory} ({Reason}); unacked batches are kept in memory only and lost if the agent stops")]
        public static partial void SpoolUnavailable(ILogger logger, string directory, string reason);
    }
}
