using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Xunit.Abstractions;

namespace FleetNet.FaultTests;

/// <summary>A fleet of simulated agents streaming known data to one hub, and the exact accounts at the end.</summary>
internal sealed class Fleet
{
    private Fleet(HubProcess hub, string connectionString, string adminKey, IReadOnlyList<SimAgent> agents)
    {
        Hub = hub;
        ConnectionString = connectionString;
        AdminKey = adminKey;
        Agents = agents;
    }

    public HubProcess Hub { get; }

    public string ConnectionString { get; }

    public string AdminKey { get; }

    public IReadOnlyList<SimAgent> Agents { get; }

    /// <summary>Bootstraps an admin key and an enrollment token with the hub's own commands, starts the hub, enrolls the agents.</summary>
    public static async Task<Fleet> StartAsync(PostgresCluster cluster, int count, int spoolCap, params (string, string)[] settings)
    {
        var connectionString = await cluster.CreateDatabaseAsync();
        var hub = new HubProcess(connectionString, settings);
        var adminKey = await hub.RunCommandAsync("create-api-key", "--role", "admin", "--name", "fault-tests");
        var token = await hub.RunCommandAsync("create-enrollment-token", "--uses", (count + 10).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await hub.StartAsync();
        var agents = new List<SimAgent>();
        for (var i = 0; i < count; i++)
        {
            var agent = new SimAgent($"sim-{i:00}", i, () => hub.GrpcUrl, spoolCap);
            await agent.EnrollAsync(token);
            agents.Add(agent);
        }

        return new Fleet(hub, connectionString, adminKey, agents);
    }

    /// <summary>
    /// Every agent produces <paramref name="batches"/> batches, one per <paramref name="interval"/>, while
    /// delivering; <paramref name="fault"/> runs once a third of the batches exist. Bounded by <paramref name="timeout"/>.
    /// </summary>
    public async Task RunAsync(int batches, TimeSpan interval, Func<Task> fault, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var producing = Agents.Select(a => Task.Run(async () =>
        {
            for (var i = 0; i < batches; i++)
            {
                a.Produce();
                await Task.Delay(interval, cancel.Token);
            }
        })).ToList();
        var delivering = Agents.Select((a, i) => a.DeliverAsync(producing[i], cancel.Token)).ToList();
        while (Agents.Min(a => a.Produced) < batches / 3)
        {
            await Task.Delay(10, cancel.Token);
        }

        await fault();
        try
        {
            await Task.WhenAll(delivering.Concat(producing));
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the fleet did not deliver within {timeout}: spooled {Agents.Sum(a => a.Spooled)}\n{Hub.Log}");
        }
    }

    /// <summary>The hub's figures for the fleet's hosts, from the agents API, the ledger and the sample table.</summary>
    public async Task<Accounts> AccountsAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Hub.RestPort}") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        var api = (await http.GetFromJsonAsync<JsonElement>("/api/v1/agents")).EnumerateArray()
            .Where(a => a.GetProperty("host").GetString()!.StartsWith("sim-", StringComparison.Ordinal)).ToList();
        long Sum(string name) => api.Sum(a => a.GetProperty(name).GetInt64());

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT count(*), coalesce(sum(rx_bytes), 0)::bigint, count(DISTINCT (host_id, tx_bytes))
            FROM interface_samples WHERE host_id IN (SELECT id FROM hosts WHERE name LIKE 'sim-%')
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Accounts(
            Sent: Sum("batchesSent"), Stored: Sum("batchesStored"), SamplesStored: Sum("samplesStored"),
            Duplicate: Sum("batchesDuplicate"), Rejected: Sum("batchesRejected"), Lost: Sum("batchesLost"), SamplesLost: Sum("samplesLost"),
            SampleRows: reader.GetInt64(0), SampleRxSum: reader.GetInt64(1), DistinctSamples: reader.GetInt64(2));
    }

    /// <summary>Asserts exact delivery and prints the scenario's figures.</summary>
    public async Task<Accounts> AssertExactAsync(string scenario, ITestOutputHelper output)
    {
        var accounts = await AccountsAsync();
        var produced = Agents.Sum(a => a.Produced);
        var lost = Agents.Sum(a => a.LostBatches);
        var producedSamples = Agents.Sum(a => a.ProducedSamples);
        var figures = $"[fault] {scenario}: agents={Agents.Count} sent={produced} batches ({producedSamples} samples), "
            + $"stored={accounts.Stored} ({accounts.SamplesStored} samples), duplicate={accounts.Duplicate}, lost={accounts.Lost} ({accounts.SamplesLost} samples), "
            + $"rejected={accounts.Rejected}; sample rows={accounts.SampleRows}, distinct={accounts.DistinctSamples}";
        output.WriteLine(figures);
        Console.WriteLine(figures);

        Assert.Equal(produced, accounts.Sent);
        Assert.Equal(lost, accounts.Lost);
        Assert.Equal(accounts.Sent, accounts.Stored + accounts.Lost);
        Assert.Equal(Agents.Sum(a => a.LostSamples), accounts.SamplesLost);
        Assert.Equal(producedSamples, accounts.SamplesStored + accounts.SamplesLost);
        Assert.Equal(accounts.SamplesStored, accounts.SampleRows);
        Assert.Equal(accounts.SampleRows, accounts.SampleRxSum);
        Assert.Equal(accounts.SampleRows, accounts.DistinctSamples);
        Assert.Equal(0, accounts.Rejected);
        return accounts;
    }
}
