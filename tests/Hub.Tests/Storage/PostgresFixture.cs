using Npgsql;

namespace FleetNet.Hub.Tests.Storage;

/// <summary>
/// A real PostgreSQL for the tests: the server named by FLEETNET_TEST_PG when set (a fresh database is
/// created on it and dropped afterwards), otherwise a throwaway cluster started from the installed
/// PostgreSQL binaries (as the postgres user when the tests run as root). A Docker engine is not used:
/// there is none on the machines this project is built on.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private LocalPostgresCluster? _cluster;
    private string? _adminConnectionString;
    private string _database = "";

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _database = $"fleetnet_test_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
        _adminConnectionString = Environment.GetEnvironmentVariable("FLEETNET_TEST_PG") is { Length: > 0 } external
            ? external
            : (_cluster = await LocalPostgresCluster.StartAsync()).ConnectionString("postgres");

        await using (var admin = new NpgsqlConnection(_adminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = _database, Pooling = true }.ConnectionString;
    }

    /// <summary>
    /// Empties every table but the migration history, so each test starts from nothing. On TimescaleDB it also pauses
    /// the extension's own policy jobs: they run on the server's clock, while the tests' hub runs on fake time (days
    /// in the past), so a retention policy could drop a chunk of test data mid-test; the hub's RetentionJob, which
    /// the tests check, uses the hub's clock.
    /// </summary>
    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            DO $$ DECLARE tables text;
            BEGIN
                SELECT string_agg(format('%I', tablename), ', ') INTO tables
                FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations';
                IF tables IS NOT NULL THEN
                    EXECUTE 'TRUNCATE ' || tables || ' RESTART IDENTITY CASCADE';
                END IF;
                IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
                    PERFORM alter_job(job_id, scheduled => false) FROM timescaledb_information.jobs WHERE job_id >= 1000;
                END IF;
            END $$
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            return;
        }

        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
