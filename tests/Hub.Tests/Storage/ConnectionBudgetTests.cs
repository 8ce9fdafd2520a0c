using FleetNet.Hub.Tests.Hosting;
using FleetNet.Hub.Tests.Ingest;
using Npgsql;

namespace FleetNet.Hub.Tests.Storage;

/// <summary>
/// The hub's connections stay within <c>Storage:MaxConnections</c> however many agents connect. The server side
/// of the limit is real: a login role with <c>CONNECTION LIMIT</c>, so one connection too many is refused by
/// PostgreSQL exactly as an exhausted <c>max_connections</c> would be.
/// </summary>
public sealed class ConnectionBudgetTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    private const int Agents = 40;
    private const int BatchesPerAgent = 3;
    private const int Budget = 4;

    [Fact]
    public async Task Stream_FortyAgentsAgainstFourConnectionServerLimit_AllBatchesStored()
    {
        var role = $"fleetnet_budget_{Environment.ProcessId}";
        await ExecuteAsync($"CREATE ROLE {role} LOGIN CONNECTION LIMIT {Budget} IN ROLE {new NpgsqlConnectionStringBuilder(Postgres.ConnectionString).Username}");
        try
        {
            var limited = new NpgsqlConnectionStringBuilder(Postgres.ConnectionString) { Username = role }.ConnectionString;
            await using var hub = new HubFactory(Postgres, settings: new Dictionary<string, string>
            {
                ["Storage:ConnectionString"] = limited,
                ["Storage:MaxConnections"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Writer:Writers"] = "2",
                ["Jobs:Enabled"] = "false",
            });
            var now = hub.Time.GetUtcNow();

            var acks = await Task.WhenAll(Enumerable.Range(0, Agents).Select(async a =>
            {
                await using var client = await IngestClient.ConnectAsync(hub.CreateGrpcChannel(), TestBatches.Hello($"budget-{a}"));
                var codes = new List<int>();
                for (var seq = 1UL; seq <= BatchesPerAgent; seq++)
                {
                    codes.Add((await client.SendAsync(TestBatches.Batch(seq, now.AddSeconds(-10 * (double)(BatchesPerAgent - seq)), processes: [(100, "nginx", 1, 2)]))).Code);
                }

                return codes;
            }));

            Assert.All(acks.SelectMany(c => c), code => Assert.Equal(0, code));
            Assert.Equal(Agents * BatchesPerAgent, await CountAsync("SELECT count(*) FROM ingest_ledger"));
            Assert.Equal(Agents * BatchesPerAgent, await CountAsync("SELECT count(*) FROM process_samples"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}';
                REASSIGN OWNED BY {role} TO {new NpgsqlConnectionStringBuilder(Postgres.ConnectionString).Username};
                DROP OWNED BY {role};
                DROP ROLE {role};
                """);
        }
    }

    [Fact]
    public async Task Main_BudgetSmallerThanWritersAndJobs_ExitsWithTheReason()
    {
        await using var hub = new HubChildProcess(new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = Postgres.ConnectionString,
            ["Storage__MaxConnections"] = "6",
            ["Storage__JobConnections"] = "4",
            ["Writer__Writers"] = "2",
            ["Kestrel__Endpoints__Rest__Url"] = "http://127.0.0.1:0",
            ["Kestrel__Endpoints__Grpc__Url"] = "http://127.0.0.1:0",
            ["Tls__Mode"] = "Off",
        });

        var (exitCode, _, error) = await hub.RunAsync();

        Assert.True(exitCode == 2, $"exit code {exitCode}, stderr: {error}");
        Assert.Contains("Storage:MaxConnections is 6, but Writer:Writers (2) + 2 for hellos and queries + Storage:JobConnections (4) for Hangfire need 8",
            error, StringComparison.Ordinal);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
