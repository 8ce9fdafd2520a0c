using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetNet.Hub.Storage;

/// <summary>
/// Brings the database to the current schema before the hub serves anything. Replicas starting together
/// serialise on an advisory lock, so each migration runs once.
/// </summary>
internal sealed partial class SchemaMigrator(
    NpgsqlDataSource dataSource,
    IOptions<StorageOptions> options,
    IOptions<RetentionOptions> retention,
    TimeProvider time,
    ILogger<SchemaMigrator> logger) : IHostedService
{
    private const long MigrationLockKey = 0x466c6565744e6574; // "FleetNet"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw DatabaseUnavailableException.From(dataSource, e);
        }

        StorageLayout layout;
        await using (connection)
        {
            // The extension must exist before migration 2 decides between partitions and hypertables.
            var timescale = options.Value.UseTimescaleDb && await TimescaleDb.TryCreateExtensionAsync(dataSource, logger, cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var applied = await AppliedVersionsAsync(connection, cancellationToken);
            layout = applied.Contains(2)
                ? await PartitionMaintenance.DetectLayoutAsync(connection, cancellationToken)
                : timescale ? StorageLayout.TimescaleDb : StorageLayout.Partitioned;
            foreach (var migration in Migrations.All)
            {
                if (applied.Contains(migration.Version))
                {
                    continue;
                }

                await ExecuteAsync(connection, Migrations.SqlFor(migration, layout), cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection);
                record.Parameters.Add(new() { Value = migration.Version });
                record.Parameters.Add(new() { Value = migration.Name });
                await record.ExecuteNonQueryAsync(cancellationToken);
                LogApplied(migration.Version, migration.Name);
            }

            if (layout == StorageLayout.Partitioned)
            {
                await PartitionMaintenance.EnsureAllAsync(connection, retention.Value, time.GetUtcNow(), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        if (layout == StorageLayout.TimescaleDb)
        {
            await TimescaleDb.EnableAsync(dataSource, options.Value, retention.Value, logger, cancellationToken);
        }
        else
        {
            LogLayout(layout);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<HashSet<int>> AppliedVersionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var versions = new HashSet<int>();
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage layout: {Layout}")]
    private partial void LogLayout(StorageLayout layout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name})")]
    private partial void LogApplied(int version, string name);
}
