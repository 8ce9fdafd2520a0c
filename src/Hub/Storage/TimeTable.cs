namespace FleetNet.Hub.Storage;

/// <summary>
/// A table of time series: partitioned by range on <see cref="TimeColumn"/> on plain PostgreSQL, a
/// hypertable on TimescaleDB. <see cref="ChunkDays"/> is the size of one partition or chunk.
/// </summary>
internal sealed record TimeTable(string Name, string TimeColumn, int ChunkDays, RetentionClass Retention, bool Compress);
