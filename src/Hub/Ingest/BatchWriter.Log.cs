namespace FleetNet.Hub.Ingest;

internal sealed partial class BatchWriter
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Committed {Batches} batches ({Rows} rows) in one transaction")]
    private partial void LogCommitted(int batches, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A transaction of {Batches} batches failed: {Reason}")]
    private partial void LogFailed(int batches, string reason);
}
