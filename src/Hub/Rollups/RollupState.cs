using Npgsql;

namespace FleetNet.Hub.Rollups;

/// <summary>Watermarks and dirty buckets of the rollup levels.</summary>
internal static class RollupState
{
    public static async Task<DateTimeOffset?> WatermarkAsync(NpgsqlConnection connection, RollupLevel level, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT watermark FROM rollup_watermarks WHERE level = $1", connection);
        command.Parameters.Add(new() { Value = level.Name });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime t ? new DateTimeOffset(t, TimeSpan.Zero) : null;
    }

    public static async Task SetWatermarkAsync(NpgsqlConnection connection, RollupLevel level, DateTimeOffset watermark, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO rollup_watermarks (level, watermark) VALUES ($1, $2)
            ON CONFLICT (level) DO UPDATE SET watermark = excluded.watermark
            """, connection);
        command.Parameters.Add(new() { Value = level.Name });
        command.Parameters.Add(new() { Value = watermark });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Every bucket of the level before the frontier is computed: the watermark or the first dirty bucket.</summary>
    public static async Task<DateTimeOffset?> FrontierAsync(NpgsqlConnection connection, RollupLevel level, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT least((SELECT watermark FROM rollup_watermarks WHERE level = $1), (SELECT min(bucket) FROM rollup_dirty WHERE level = $1))
            """, connection);
        command.Parameters.Add(new() { Value = level.Name });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime t ? new DateTimeOffset(t, TimeSpan.Zero) : null;
    }

    /// <summary>
    /// Removes (in the caller's transaction) and returns the oldest dirty buckets of the level. Rows a writer
    /// is marking right now are skipped: they stay dirty for the next run.
    /// </summary>
    public static async Task<List<DateTimeOffset>> TakeDirtyAsync(NpgsqlConnection connection, RollupLevel level, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            DELETE FROM rollup_dirty WHERE level = $1 AND bucket IN (
                SELECT bucket FROM rollup_dirty WHERE level = $1 ORDER BY bucket LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING bucket
            """, connection);
        command.Parameters.Add(new() { Value = level.Name });
        command.Parameters.Add(new() { Value = level.BucketsPerTransaction });
        var buckets = new List<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }

        buckets.Sort();
        return buckets;
    }

    /// <summary>Contiguous runs of buckets as [from, to) ranges.</summary>
    public static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Ranges(List<DateTimeOffset> sorted, TimeSpan size)
    {
        var from = sorted[0];
        var to = from + size;
        for (var i = 1; i < sorted.Count; i++)
        {
            if (sorted[i] != to)
            {
                yield return (from, to);
                from = sorted[i];
            }

            to = sorted[i] + size;
        }

        yield return (from, to);
    }

    /// <summary>Marks the parent buckets of recomputed buckets dirty when the parent level has already passed them.</summary>
    public static async Task MarkParentsAsync(NpgsqlConnection connection, RollupLevel parent, List<DateTimeOffset> buckets, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO rollup_dirty (level, bucket)
            SELECT DISTINCT $1, date_trunc('{parent.Unit}', b, 'UTC') FROM unnest($2::timestamptz[]) AS b
            WHERE date_trunc('{parent.Unit}', b, 'UTC') < (SELECT watermark FROM rollup_watermarks WHERE level = $1)
            ON CONFLICT DO NOTHING
            """, connection);
        command.Parameters.Add(new() { Value = parent.Name });
        command.Parameters.Add(new() { Value = buckets.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
