using Npgsql;

namespace FleetNet.Hub.Storage;

/// <summary>
/// Turns the sample tables into hypertables when the server has the timescaledb extension. Plain
/// PostgreSQL is the baseline: a server without the extension (or without it preloaded) keeps plain tables.
/// </summary>
internal static partial class TimescaleDb
{
    /// <summary>Returns true when the sample tables are hypertables after the call.</summary>
    public static async Task<bool> TryEnableAsync(NpgsqlDataSource dataSource, TimeSpan chunkInterval, ILogger logger, CancellationToken cancellationToken)
    {
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
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS timescaledb", connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            foreach (var table in Migrations.SampleTables)
            {
                // Table names come from our own constant list, never from input.
                await using var hypertable = new NpgsqlCommand(
                    $"SELECT create_hypertable('{table}', 'time', chunk_time_interval => $1, if_not_exists => TRUE, migrate_data => TRUE)",
                    connection);
                hypertable.Parameters.Add(new() { Value = chunkInterval });
                await hypertable.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogHypertables(logger, string.Join(", ", Migrations.SampleTables));
            return true;
        }
        catch (PostgresException e)
        {
            LogPlain(logger, e.MessageText);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TimescaleDB: hypertables {Tables}")]
    private static partial void LogHypertables(ILogger logger, string tables);

    [LoggerMessage(Level = LogLevel.Information, Message = "Plain PostgreSQL storage: {Reason}")]
    private static partial void LogPlain(ILogger logger, string reason);
}
