using Npgsql;

namespace FleetNet.Bench;

/// <summary>A database of its own on the given server, dropped at the end.</summary>
internal sealed class BenchDatabase(string admin, string name) : IAsyncDisposable
{
    public string Name => name;

    public string ConnectionString => new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;

    public static async Task<BenchDatabase> CreateAsync(string admin)
    {
        var name = $"fleetnet_bench_{Environment.ProcessId}";
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new BenchDatabase(admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
