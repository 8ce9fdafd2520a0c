namespace FleetNet.Hub.Storage;

/// <summary>
/// Migration 3, ingest at fleet scale: the raw process samples lose their B-tree on time (a BRIN index serves the
/// rollup job's time ranges at a fraction of the write cost; per-host reads keep (host_id, time)), and
/// <c>name_1m</c> becomes a table the ingest writer keeps current (one row per program and minute, summed in
/// the ingest transaction), so a fleet-wide top-N over the newest minutes needs no raw scan. Minutes not yet
/// rolled up when the migration runs are filled from the raw samples.
/// </summary>
internal static class SchemaV3
{
    public const string Sql = """
        DROP INDEX process_samples_time;
        CREATE INDEX process_samples_time ON process_samples USING brin (time);

        DROP INDEX name_1m_bucket;
        CREATE UNIQUE INDEX name_1m_key ON name_1m (bucket, comm, exe);

        SELECT fleetnet_ensure_partitions('name_1m', 1, min(time), max(time)) FROM process_samples
        WHERE time > coalesce((SELECT watermark FROM rollup_watermarks WHERE level = '1m'), '-infinity');
        DELETE FROM name_1m WHERE bucket >= coalesce((SELECT watermark FROM rollup_watermarks WHERE level = '1m'), '-infinity');
        INSERT INTO name_1m (bucket, comm, exe, tx_bytes, rx_bytes, tx_calls, rx_calls)
        SELECT date_trunc('minute', s.time - interval '1 microsecond', 'UTC'), p.comm, p.exe,
               sum(s.tx_bytes), sum(s.rx_bytes), sum(s.tx_calls), sum(s.rx_calls)
        FROM process_samples s JOIN processes p ON p.id = s.process_id
        WHERE s.time > coalesce((SELECT watermark FROM rollup_watermarks WHERE level = '1m'), '-infinity')
        GROUP BY 1, 2, 3;
        """;
}
