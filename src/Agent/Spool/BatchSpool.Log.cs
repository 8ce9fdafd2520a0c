using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Spool;

internal sealed partial class BatchSpool
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Spool {Directory}: {Records} unacked batches ({Bytes} bytes) to replay, {Losses} damaged records skipped")]
        public static partial void Recovered(ILogger logger, string directory, int records, long bytes, int losses);

        [LoggerMessage(2, LogLevel.Warning, "Spool segment {Path}: the last record was torn ({TornBytes} bytes after offset {ValidLength}); cut off, the rest is replayed")]
        public static partial void TornRecord(ILogger logger, string path, long validLength, long tornBytes);

        [LoggerMessage(3, LogLevel.Error, "Spool segment {Path}: cannot read the record at {Offset}: {Reason}")]
        public static partial void ReadFailed(ILogger logger, string path, long offset, string reason);

        [LoggerMessage(4, LogLevel.Warning, "Spool segment {Path} could not be deleted: {Reason}")]
        public static partial void DeleteFailed(ILogger logger, string path, string reason);

        [LoggerMessage(5, LogLevel.Error, "Could not set aside refused batch (epoch {Epoch}, seq {Seq}): {Reason}")]
        public static partial void SetAsideFailed(ILogger logger, ulong epoch, ulong seq, string reason);
    }
}
