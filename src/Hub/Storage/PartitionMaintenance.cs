using System.Globalization;
using Npgsql;

namespace FleetNet.Hub.Storage;

/// <summary>
/// Range partitions on plain PostgreSQL: created ahead of time, dropped whole when they are older than
/// the table's retention (never a row-by-row DELETE). On TimescaleDB the same job drops chunks instead.
/// </summary>
internal static class PartitionMaintenance
{
    private const string Marker = "_p";
    private const string DayFormat = "yyyyMMdd";

    /// <summary>The name suffix of the partition that starts at <paramref name="start"/> (UTC): <c>_pYYYYMMDD</c>, as <c>fleetnet_ensure_partitions</c> names them.</summary>
    public static string Suffix(DateTimeOffset start) => Marker + start.UtcDateTime.ToString(DayFormat, CultureInfo.InvariantCulture);

    public static async Task<StorageLayout> DetectLayoutAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass('process_samples'))", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))! ? StorageLayout.Partitioned : StorageLayout.TimescaleDb;
    }

    /// <summary>Creates the partitions of <paramref name="table"/> covering [from, to]; no-op for hypertables.</summary>
    public static async Task EnsureAsync(NpgsqlConnection connection, TimeTable table, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT fleetnet_ensure_partitions($1, $2, $3, $4)", connection);
        command.Parameters.Add(new() { Value = table.Name });
        command.Parameters.Add(new() { Value = table.ChunkDays });
        command.Parameters.Add(new() { Value = from });
        command.Parameters.Add(new() { Value = to });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Creates every table's partitions from its retention horizon to <c>now + ahead</c>.</summary>
    public static async Task EnsureAllAsync(NpgsqlConnection connection, RetentionOptions retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var table in TimeTables.All)
        {
            var keep = retention.For(table.Retention) ?? TimeSpan.FromDays(table.ChunkDays);
            await EnsureAsync(connection, table, now - keep, now + retention.CreateAhead, cancellationToken);
        }
    }

    /// <summary>Drops the partitions (or chunks) of <paramref name="table"/> wholly older than <paramref name="before"/>; returns their names.</summary>
    public static async Task<IReadOnlyList<string>> DropOlderThanAsync(NpgsqlConnection connection, StorageLayout layout, TimeTable table, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var dropped = new List<string>();
        if (layout == StorageLayout.TimescaleDb)
        {
            await using var chunks = new NpgsqlCommand($"SELECT drop_chunks('{table.Name}', older_than => $1)", connection);
            chunks.Parameters.Add(new() { Value = before });
            await using var reader = await chunks.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                dropped.Add(reader.GetString(0));
            }

            return dropped;
        }

        var candidates = new List<string>();
        await using (var list = new NpgsqlCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = to_regclass($1) ORDER BY c.relname
            """, connection))
        {
            list.Parameters.Add(new() { Value = table.Name });
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                candidates.Add(reader.GetString(0));
            }
        }

        var prefix = table.Name + Marker;
        foreach (var name in candidates)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal)
                || !DateTime.TryParseExact(name[prefix.Length..], DayFormat, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start))
            {
                continue;
            }

            if (new DateTimeOffset(start, TimeSpan.Zero).AddDays(table.ChunkDays) <= before)
            {
                // The name was read from the catalog and matched our own naming scheme.
                await using var drop = new NpgsqlCommand($"DROP TABLE \"{name}\"", connection);
                await drop.ExecuteNonQueryAsync(cancellationToken);
                dropped.Add(name);
            }
        }

        return dropped;
    }
}
