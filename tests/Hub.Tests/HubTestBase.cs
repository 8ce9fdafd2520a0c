using System.Net.Http.Json;
using System.Text.Json;
using FleetNet.Hub.Tests.Storage;
using Npgsql;

namespace FleetNet.Hub.Tests;

/// <summary>Starts the real hub against the shared database and empties its tables before each test.</summary>
[Collection(PostgresCollection.Name)]
public abstract class HubTestBase(PostgresFixture postgres) : IAsyncLifetime
{
    protected PostgresFixture Postgres { get; } = postgres;

    protected HubFactory Hub { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Hub = new HubFactory(Postgres);
        _ = Hub.Server; // starts the host, which applies the migrations
        await Postgres.ResetAsync();
    }

    public async Task DisposeAsync() => await Hub.DisposeAsync();

    /// <summary>GETs a REST answer from the hub; a non-success status fails the test with the problem's body.</summary>
    protected async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await Hub.CreateClient().GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    protected async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
