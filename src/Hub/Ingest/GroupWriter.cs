using FleetNet.Hub.Rollups;
using FleetNet.Hub.Storage;
using Npgsql;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// Stores a group of batches in one transaction: ledger rows first (replays and repeats stop there), then
/// the dimensions the new batches name, then every sample by binary COPY, the hosts' last-seen time, the
/// already rolled-up minutes the samples fall into (marked dirty so the rollup job recomputes them), and the
/// per-program minute sums (<see cref="NameMinutes"/>).
/// </summary>
internal sealed class GroupWriter(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string NoPartitionState = "23514";
    private const string NameMinutesTable = "name_1m";

    private readonly DimensionCache _cache = new();

    /// <summary>Writes the group and completes each caller; retries once after a dimension race or a missing partition.</summary>
    public async Task WriteWithRetryAsync(IReadOnlyList<PendingWrite> group, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(group, cancellationToken);
        }
        catch (ProcessDimensionRaceException)
        {
            await WriteAsync(group, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == NoPartitionState)
        {
            await EnsurePartitionsAsync(group, cancellationToken);
            await WriteAsync(group, cancellationToken);
        }
    }

    private async Task WriteAsync(IReadOnlyList<PendingWrite> group, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Shared with other writers; the rollup job takes it exclusively for an instant when it moves a
        // watermark, so every write either lands before the move or sees the new watermark.
        await using (var share = new NpgsqlCommand($"SELECT pg_advisory_xact_lock_shared({RollupLock.Key})", connection))
        {
            await share.ExecuteNonQueryAsync(cancellationToken);
        }

        var fresh = await LedgerAsync(connection, group, cancellationToken);
        var ids = new DimensionIds();
        if (fresh.Count > 0)
        {
            await CgroupDimension.ResolveAsync(connection, fresh, _cache, ids, cancellationToken);
            await ProcessDimension.ResolveAsync(connection, fresh, _cache, ids, cancellationToken);
            await InterfaceDimension.ResolveAsync(connection, fresh, _cache, ids, cancellationToken);
            await EndpointDimension.ResolveAsync(connection, fresh, _cache, ids, cancellationToken);
            await SampleCopier.CopyAsync(connection, fresh, ids, cancellationToken);
            await TouchHostsAsync(connection, fresh, cancellationToken);
            await MarkLateMinutesAsync(connection, fresh, cancellationToken);
            // Last: its rows are shared by every writer, so they should stay locked only for the commit.
            await NameMinutes.AddAsync(connection, fresh, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        _cache.Add(ids);
        foreach (var pending in group)
        {
            pending.Done.TrySetResult(fresh.Contains(pending));
        }
    }

    /// <summary>Inserts the ledger rows; returns the batches not stored before (the first of any repeats in the group).</summary>
    private async Task<List<PendingWrite>> LedgerAsync(NpgsqlConnection connection, IReadOnlyList<PendingWrite> group, CancellationToken cancellationToken)
    {
        var first = new Dictionary<(long, long, long), PendingWrite>(group.Count);
        foreach (var pending in group)
        {
            first.TryAdd((pending.HostId, (long)pending.Batch.Epoch, (long)pending.Batch.Seq), pending);
        }

        var keys = first.Keys.ToArray();
        await using var command = new NpgsqlCommand("""
            INSERT INTO ingest_ledger (host_id, epoch, seq, received_at, samples)
            SELECT h, e, s, $4, n FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $5::integer[]) AS t (h, e, s, n)
            ON CONFLICT DO NOTHING
            RETURNING host_id, epoch, seq
            """, connection);
        command.Parameters.Add(new() { Value = keys.Select(k => k.Item1).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => k.Item2).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => k.Item3).ToArray() });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        command.Parameters.Add(new() { Value = keys.Select(k => first[k].Batch.Interfaces.Count + first[k].Batch.Processes.Count).ToArray() });
        var fresh = new List<PendingWrite>(keys.Length);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            fresh.Add(first[(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2))]);
        }

        return fresh;
    }

    private async Task TouchHostsAsync(NpgsqlConnection connection, List<PendingWrite> fresh, CancellationToken cancellationToken)
    {
        var hosts = new HashSet<long>();
        foreach (var pending in fresh)
        {
            hosts.Add(pending.HostId);
        }

        await using var seen = new NpgsqlCommand("UPDATE hosts SET last_seen = greatest(last_seen, $2) WHERE id = ANY($1)", connection);
        seen.Parameters.Add(new() { Value = hosts.ToArray() });
        seen.Parameters.Add(new() { Value = time.GetUtcNow() });
        await seen.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Marks the minutes below the 1-minute watermark that the samples fall into. DO UPDATE (not DO NOTHING)
    /// locks the row, so a rollup run that is about to clear it waits for this commit and sees these rows.
    /// </summary>
    private static async Task MarkLateMinutesAsync(NpgsqlConnection connection, List<PendingWrite> fresh, CancellationToken cancellationToken)
    {
        var minutes = new SortedSet<long>();
        foreach (var pending in fresh)
        {
            var b = pending.Batch;
            foreach (var s in b.Processes)
            {
                minutes.Add(Buckets.MinuteOf(b.StartUnixMs + s.OffsetMs));
            }

            foreach (var s in b.Interfaces)
            {
                minutes.Add(Buckets.MinuteOf(b.StartUnixMs + s.OffsetMs));
            }
        }

        if (minutes.Count == 0)
        {
            return;
        }

        await using var mark = new NpgsqlCommand("""
            INSERT INTO rollup_dirty (level, bucket)
            SELECT '1m', b FROM unnest($1::timestamptz[]) AS b
            WHERE b < (SELECT watermark FROM rollup_watermarks WHERE level = '1m')
            ORDER BY b
            ON CONFLICT (level, bucket) DO UPDATE SET bucket = excluded.bucket
            """, connection);
        mark.Parameters.Add(new() { Value = minutes.Select(DateTimeOffset.FromUnixTimeMilliseconds).ToArray() });
        await mark.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task EnsurePartitionsAsync(IReadOnlyList<PendingWrite> group, CancellationToken cancellationToken)
    {
        var min = long.MaxValue;
        var max = long.MinValue;
        foreach (var pending in group)
        {
            min = Math.Min(min, pending.Batch.StartUnixMs);
            max = Math.Max(max, pending.Batch.EndUnixMs + 86_400_000L);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var table in TimeTables.All)
        {
            if (table.Retention == RetentionClass.Raw || table.Name == NameMinutesTable)
            {
                await PartitionMaintenance.EnsureAsync(connection, table,
                    DateTimeOffset.FromUnixTimeMilliseconds(min), DateTimeOffset.FromUnixTimeMilliseconds(max), cancellationToken);
            }
        }
    }
}
