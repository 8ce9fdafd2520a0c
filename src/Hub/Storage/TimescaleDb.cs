using Npgsql;

namespace FleetNet.Hub.Storage;

/// <summary>
/// TimescaleDB support. The extension is created before the migrations run (so migration 2 can choose
/// plain tables for it); after them every time table becomes a hypertable, raw and 1-minute tables get a
/// compression policy, and each table with a finite retention a retention policy. Plain PostgreSQL is the
/// baseline: a server without the extension keeps range partitions.
/// </summary>
internal static partial class TimescaleDb
{
    /// <summary>Creates the extension if the server offers it; false (with the reason logged) otherwise.</summary>
    public static async Task<bool> TryCreateExtensionAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        // A connection of its own: without shared_preload_libraries the attempt ends the session.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var available = new NpgsqlCommand("SELECT count(*) FROM pg_available_extensions WHERE name = 'timescaledb'", connection))
        {
            if ((long)(await available.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                LogPlain(logger, "the timescaledb extension is not installed on the server");
                return false;
            }
        }

        try
        {
            // Outside any transaction: a failure here leaves the connection usable for the migrations.
            await using var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS timescaledb", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException e)
        {
            LogPlain(logger, e.MessageText);
            return false;
        }
    }

    /// <summary>Hypertables, compression and retention policies for every time table (idempotent).</summary>
    public static async Task EnableAsync(NpgsqlDataSource dataSource, StorageOptions storage, RetentionOptions retention, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in TimeTables.All)
        {
            // Table and column names come from our own constant list, never from input.
            var chunk = table.ChunkDays == 1 ? storage.ChunkInterval : TimeSpan.FromDays(table.ChunkDays);
            await ExecuteAsync(connection,
                $"SELECT create_hypertable('{table.Name}', '{table.TimeColumn}', chunk_time_interval => $1, if_not_exists => TRUE, migrate_data => TRUE)",
                cancellationToken, chunk);
            if (table.Compress)
            {
                var segment = table.Name.StartsWith("name_", StringComparison.Ordinal) ? "exe" : "host_id";
                await ExecuteAsync(connection,
                    $"ALTER TABLE {table.Name} SET (timescaledb.compress, timescaledb.compress_segmentby = '{segment}', timescaledb.compress_orderby = '{table.TimeColumn} DESC')",
                    cancellationToken);
                await ExecuteAsync(connection, $"SELECT add_compression_policy('{table.Name}', $1::interval, if_not_exists => TRUE)",
                    cancellationToken, storage.CompressAfter);
            }

            await ExecuteAsync(connection, $"SELECT remove_retention_policy('{table.Name}', if_exists => TRUE)", cancellationToken);
            if (retention.For(table.Retention) is { } keep)
            {
                await ExecuteAsync(connection, $"SELECT add_retention_policy('{table.Name}', $1::interval)", cancellationToken, keep);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        LogHypertables(logger, TimeTables.All.Count);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new() { Value = p });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TimescaleDB: {Count} hypertables with compression and retention policies")]
    private static partial void LogHypertables(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Plain PostgreSQL storage (range partitions): {Reason}")]
    private static partial void LogPlain(ILogger logger, string reason);
}
