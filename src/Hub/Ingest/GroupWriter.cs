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
    private const string UndefinedTableState = "42P01";
    private const long DayMs = 86_400_000L;
    private const string NameMinutesTable = "name_1m";

    private readonly DimensionCache _cache = new();
    private StorageLayout? _layout;

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
        catch (PostgresException e) when (e.SqlState is NoPartitionState or UndefinedTableState)
        {
            await EnsurePartitionsAsync(group, cancellationToken);
            await WriteAsync(group, cancellationToken);
        }
    }

    private async Task WriteAsync(IReadOnlyList<PendingWrite> group, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        _layout ??= await PartitionMaintenance.DetectLayoutAsync(connection, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var fresh = await LedgerAsync(connection, group, cancellationToken);
        var ids = new DimensionIds();
        // The sums behind the closing statements are worked out on another thread while PostgreSQL works through
        // the COPY, instead of between the COPY and the commit, when the server would wait for them.
        var closing = Task.Run(() => ClosingCommands(group, fresh));
        NpgsqlBatchCommand? interfaces = null;
        if (fresh.Count > 0)
        {
            await CgroupDimension.ResolveAsync(connection, fresh, _cache, ids, cancellationToken);
            await ProcessDimension.ResolveAsync(connection, fresh, _cache, ids, cancellationToken);
            await InterfaceDimension.ResolveAsync(connection, fresh, _cache, ids, cancellationToken);
            await EndpointDimension.ResolveAsync(connection, fresh, _cache, ids, cancellationToken);
            var suffix = RawTableSuffix(fresh);
            await SampleCopier.CopyAsync(connection, fresh, ids, suffix, cancellationToken);
            interfaces = SampleCopier.Interfaces(fresh, ids, suffix);
        }

        await using (var batch = new NpgsqlBatch(connection))
        {
            if (interfaces is not null)
            {
                batch.BatchCommands.Add(interfaces);
            }

            foreach (var command in await closing)
            {
                batch.BatchCommands.Add(command);
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        _cache.Add(ids);
        foreach (var pending in group)
        {
            pending.Done.TrySetResult(fresh.Contains(pending));
        }
    }

    /// <summary>
    /// One round trip after the COPY: the agents' counters of every batch of the group (replays included, as before
    /// they were stored), and for the new batches the hosts' last-seen, the late minutes marked dirty, and last the
    /// per-program minute sums (<see cref="NameMinutes"/>), whose rows are shared by every writer, so they should stay
    /// locked only for the commit.
    /// </summary>
    private List<NpgsqlBatchCommand> ClosingCommands(IReadOnlyList<PendingWrite> group, List<PendingWrite> fresh)
    {
        var commands = new List<NpgsqlBatchCommand>(4);
        if (EpochCounters.Command(group, time.GetUtcNow()) is { } counters)
        {
            commands.Add(counters);
        }

        if (fresh.Count == 0)
        {
            return commands;
        }

        var hosts = new HashSet<long>();
        foreach (var pending in fresh)
        {
            hosts.Add(pending.HostId);
        }

        commands.Add(new("UPDATE hosts SET last_seen = greatest(last_seen, $2) WHERE id = ANY($1)")
        {
            Parameters = { new NpgsqlParameter { Value = hosts.ToArray() }, new NpgsqlParameter { Value = time.GetUtcNow() } },
        });
        if (LateMinutes.Command(fresh) is { } late)
        {
            commands.Add(late);
        }

        if (NameMinutes.Command(fresh) is { } names)
        {
            commands.Add(names);
        }

        return commands;
    }

    /// <summary>
    /// On plain PostgreSQL, when every batch lies within one UTC day, the raw rows are COPYed straight into that day's
    /// partitions (<c>_pYYYYMMDD</c>): routing each row through the partitioned parent cost about a tenth of the COPY.
    /// Empty (the parent tables) otherwise and on TimescaleDB. A missing partition fails the COPY; the retry creates it.
    /// </summary>
    private string RawTableSuffix(List<PendingWrite> fresh)
    {
        if (_layout != StorageLayout.Partitioned)
        {
            return "";
        }

        // Sample times lie within [start, end] of their batch (the validator checks offsets); times are after 1970.
        var day = fresh[0].Batch.StartUnixMs / DayMs;
        foreach (var pending in fresh)
        {
            if (pending.Batch.StartUnixMs / DayMs != day || pending.Batch.EndUnixMs / DayMs != day)
            {
                return "";
            }
        }

        return PartitionMaintenance.Suffix(DateTimeOffset.FromUnixTimeMilliseconds(day * DayMs));
    }

    /// <summary>
    /// Takes the shared rollup lock and inserts the ledger rows, in one round trip; returns the batches not stored
    /// before (the first of any repeats in the group).
    /// </summary>
    private async Task<List<PendingWrite>> LedgerAsync(NpgsqlConnection connection, IReadOnlyList<PendingWrite> group, CancellationToken cancellationToken)
    {
        var first = new Dictionary<(long, long, long), PendingWrite>(group.Count);
        foreach (var pending in group)
        {
            first.TryAdd((pending.HostId, (long)pending.Batch.Epoch, (long)pending.Batch.Seq), pending);
        }

        var hosts = new long[first.Count];
        var epochs = new long[first.Count];
        var seqs = new long[first.Count];
        var samples = new int[first.Count];
        var i = 0;
        foreach (var ((host, epoch, seq), pending) in first)
        {
            (hosts[i], epochs[i], seqs[i], samples[i]) = (host, epoch, seq, pending.Batch.Interfaces.Count + pending.Batch.Processes.Count);
            i++;
        }

        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                // Shared with other writers; the rollup job takes it exclusively for an instant when it moves a
                // watermark, so every write either lands before the move or sees the new watermark.
                new($"SELECT pg_advisory_xact_lock_shared({RollupLock.Key})"),
                new("""
                    INSERT INTO ingest_ledger (host_id, epoch, seq, received_at, samples)
                    SELECT h, e, s, $4, n FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $5::integer[]) AS t (h, e, s, n)
                    ON CONFLICT DO NOTHING
                    RETURNING host_id, epoch, seq
                    """)
                {
                    Parameters =
                    {
                        new NpgsqlParameter { Value = hosts }, new NpgsqlParameter { Value = epochs }, new NpgsqlParameter { Value = seqs },
                        new NpgsqlParameter { Value = time.GetUtcNow() }, new NpgsqlParameter { Value = samples },
                    },
                },
            },
        };
        var fresh = new List<PendingWrite>(first.Count);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            fresh.Add(first[(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2))]);
        }

        return fresh;
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
