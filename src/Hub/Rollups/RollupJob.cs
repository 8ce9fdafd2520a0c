using FleetNet.Hub.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetNet.Hub.Rollups;

/// <summary>
/// Keeps the 1-minute, 1-hour and 1-day rollups. For each level, first <em>claim</em>: move the level's
/// watermark up to the last closed bucket and mark the buckets passed over dirty (an instant under the
/// writers' lock, so no write is missed); then <em>compute</em> dirty buckets a transaction at a time:
/// delete them, aggregate them again from the level below, mark the parent bucket dirty when the parent
/// has already passed it, and clear them. Recomputing a bucket is idempotent; after downtime the claim
/// covers the whole gap; late samples mark their minutes dirty at ingest.
/// </summary>
internal sealed partial class RollupJob(NpgsqlDataSource dataSource, TimeProvider time, IOptions<RollupOptions> options, ILogger<RollupJob> logger)
{
    /// <summary>Runs every level once; returns the number of buckets computed. Runs on other replicas are waited for.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var guard = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({RollupLock.RunKey})", guard))
        {
            // Waiting (not skipping) keeps a run deterministic: it starts after any other one finished.
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var computed = 0;
            foreach (var level in RollupLevel.All)
            {
                await ClaimAsync(level, cancellationToken);
                computed += await ComputeAsync(level, cancellationToken);
            }

            return computed;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({RollupLock.RunKey})", guard);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task ClaimAsync(RollupLevel level, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        DateTimeOffset cutoff;
        if (level.Source is null)
        {
            cutoff = Buckets.Floor(time.GetUtcNow() - options.Value.Lag, level.Size);
        }
        else if (await RollupState.FrontierAsync(connection, level.Source, cancellationToken) is { } frontier)
        {
            cutoff = Buckets.Floor(frontier, level.Size);
        }
        else
        {
            return;
        }

        var start = await RollupState.WatermarkAsync(connection, level, cancellationToken)
            ?? await FirstBucketAsync(connection, level, cancellationToken)
            ?? cutoff;
        if (start >= cutoff)
        {
            if (start == cutoff)
            {
                await RollupState.SetWatermarkAsync(connection, level, cutoff, cancellationToken);
            }

            return;
        }

        var end = start + level.Size * Math.Min((cutoff - start) / level.Size, options.Value.MaxBucketsPerClaim);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var exclusive = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({RollupLock.Key})", connection))
        {
            await exclusive.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var claim = new NpgsqlCommand("""
            INSERT INTO rollup_dirty (level, bucket)
            SELECT $1, b FROM generate_series($2::timestamptz, $3::timestamptz - $4::interval, $4::interval) AS b
            ON CONFLICT DO NOTHING
            """, connection))
        {
            claim.Parameters.Add(new() { Value = level.Name });
            claim.Parameters.Add(new() { Value = start });
            claim.Parameters.Add(new() { Value = end });
            claim.Parameters.Add(new() { Value = level.Size });
            await claim.ExecuteNonQueryAsync(cancellationToken);
        }

        await RollupState.SetWatermarkAsync(connection, level, end, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogClaimed(level.Name, start, end);
    }

    private async Task<int> ComputeAsync(RollupLevel level, CancellationToken cancellationToken)
    {
        var statements = RollupSql.For(level);
        var computed = 0;
        for (var round = 0; round < options.Value.MaxTransactionsPerRun; round++)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var buckets = await RollupState.TakeDirtyAsync(connection, level, cancellationToken);
            if (buckets.Count == 0)
            {
                return computed;
            }

            foreach (var (from, to) in RollupState.Ranges(buckets, level.Size))
            {
                foreach (var table in TimeTables.All)
                {
                    if (table.Name.EndsWith("_" + level.Name, StringComparison.Ordinal))
                    {
                        await PartitionMaintenance.EnsureAsync(connection, table, from, to, cancellationToken);
                    }
                }

                foreach (var sql in statements)
                {
                    await using var command = new NpgsqlCommand(sql, connection);
                    command.Parameters.Add(new() { Value = from });
                    command.Parameters.Add(new() { Value = to });
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            if (level.Parent is { } parent)
            {
                await RollupState.MarkParentsAsync(connection, parent, buckets, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            computed += buckets.Count;
            LogComputed(level.Name, buckets.Count, buckets[0]);
        }

        return computed;
    }

    /// <summary>Where a level without a watermark starts: the first bucket holding source data.</summary>
    private static async Task<DateTimeOffset?> FirstBucketAsync(NpgsqlConnection connection, RollupLevel level, CancellationToken cancellationToken)
    {
        var sql = level.Source is null
            ? "SELECT least((SELECT min(time) FROM process_samples), (SELECT min(time) FROM interface_samples)) - interval '1 microsecond'"
            : $"SELECT min(bucket) FROM process_{level.Source.Name}";
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime first
            ? Buckets.Floor(new DateTimeOffset(first, TimeSpan.Zero), level.Size)
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollup {Level}: claimed buckets from {From} to {To}")]
    private partial void LogClaimed(string level, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rollup {Level}: computed {Count} buckets from {First}")]
    private partial void LogComputed(string level, int count, DateTimeOffset first);
}
