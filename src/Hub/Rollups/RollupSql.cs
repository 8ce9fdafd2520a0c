namespace FleetNet.Hub.Rollups;

/// <summary>
/// The statements that recompute the buckets [$1, $2) of one level: delete them, then aggregate them again
/// from the level below (raw samples for 1m). Per-host rows are inserted ordered by host, so one host's rows of
/// a bucket share a page or two and a per-host query reads a few pages per bucket, not one per row. Table names
/// and units come from <see cref="RollupLevel"/> constants, never from input.
/// </summary>
internal static class RollupSql
{
    public static IReadOnlyList<string> For(RollupLevel level)
    {
        var l = level.Name;
        // name_1m is kept current by the ingest writer (NameMinutes); the minute level leaves it alone.
        var families = level.Source is null ? new[] { "process", "interface" } : new[] { "process", "name", "interface" };
        var statements = new List<string>();
        foreach (var f in families)
        {
            statements.Add($"DELETE FROM {f}_{l} WHERE bucket >= $1 AND bucket < $2");
        }

        if (level.Source is null)
        {
            statements.Add($"""
                INSERT INTO process_1m (bucket, host_id, process_id, tx_bytes, rx_bytes, tx_calls, rx_calls)
                SELECT date_trunc('minute', time - interval '1 microsecond', 'UTC'), host_id, process_id,
                       sum(tx_bytes), sum(rx_bytes), sum(tx_calls), sum(rx_calls)
                FROM process_samples WHERE time > $1 AND time <= $2
                GROUP BY 2, 1, 3 ORDER BY 2, 1
                """);
            statements.Add($"""
                INSERT INTO interface_1m (bucket, host_id, interface_id, rx_bytes, tx_bytes, peak_bps)
                SELECT date_trunc('minute', time - interval '1 microsecond', 'UTC'), host_id, interface_id,
                       sum(rx_bytes), sum(tx_bytes), max((rx_bytes + tx_bytes) * 8000 / greatest(interval_ms, 1))
                FROM interface_samples WHERE time > $1 AND time <= $2
                GROUP BY 2, 1, 3 ORDER BY 2, 1
                """);
        }
        else
        {
            var s = level.Source.Name;
            statements.Add($"""
                INSERT INTO process_{l} (bucket, host_id, process_id, tx_bytes, rx_bytes, tx_calls, rx_calls)
                SELECT date_trunc('{level.Unit}', bucket, 'UTC'), host_id, process_id,
                       sum(tx_bytes), sum(rx_bytes), sum(tx_calls), sum(rx_calls)
                FROM process_{s} WHERE bucket >= $1 AND bucket < $2
                GROUP BY 2, 1, 3 ORDER BY 2, 1
                """);
            statements.Add($"""
                INSERT INTO interface_{l} (bucket, host_id, interface_id, rx_bytes, tx_bytes, peak_bps)
                SELECT date_trunc('{level.Unit}', bucket, 'UTC'), host_id, interface_id, sum(rx_bytes), sum(tx_bytes), max(peak_bps)
                FROM interface_{s} WHERE bucket >= $1 AND bucket < $2
                GROUP BY 2, 1, 3 ORDER BY 2, 1
                """);
            // Fleet-wide per program, from the level below (name_1m is complete: the writer keeps it).
            statements.Add($"""
                INSERT INTO name_{l} (bucket, comm, exe, tx_bytes, rx_bytes, tx_calls, rx_calls)
                SELECT date_trunc('{level.Unit}', bucket, 'UTC'), comm, exe, sum(tx_bytes), sum(rx_bytes), sum(tx_calls), sum(rx_calls)
                FROM name_{s} WHERE bucket >= $1 AND bucket < $2
                GROUP BY 1, 2, 3
                """);
        }

        return statements;
    }
}
