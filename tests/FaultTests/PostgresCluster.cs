using FleetNet.Hub.Tests.Storage;
using Npgsql;

namespace FleetNet.FaultTests;

/// <summary>
/// A throwaway PostgreSQL cluster of the fault tests' own (never FLEETNET_TEST_PG: a scenario restarts it
/// with <c>pg_ctl restart</c>). Each scenario gets a database.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private LocalPostgresCluster? _cluster;

    public async Task InitializeAsync() => _cluster = await LocalPostgresCluster.StartAsync();

    public string ConnectionString(string database) => _cluster!.ConnectionString(database) + ";Timeout=5;Command Timeout=30";

    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"fault_{Guid.NewGuid():N}"[..24];
        await using var admin = new NpgsqlConnection(ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast mode: open connections are cut) and starts it again.</summary>
    public Task RestartAsync() => _cluster!.RestartAsync();

    public async Task DisposeAsync() => await _cluster!.DisposeAsync();
}
