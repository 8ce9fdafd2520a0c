namespace FleetNet.Hub.Storage;

/// <summary>
/// How time tables are stored. Decided once, when migration 2 runs: TimescaleDB hypertables when the
/// extension could be created then, otherwise declarative range partitions. A database keeps its layout.
/// </summary>
internal enum StorageLayout
{
    Partitioned,
    TimescaleDb,
}
