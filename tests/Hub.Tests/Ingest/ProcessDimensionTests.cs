using FleetNet.Hub.Ingest;
using FleetNet.Hub.Tests.Rollups;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;
using Npgsql;

namespace FleetNet.Hub.Tests.Ingest;

/// <summary>
/// A process named first by an endpoint sample alone (its first bytes fell between the agent's reads of its
/// usage and endpoint maps) gets its name, exe and command line from the first process sample that carries them.
/// </summary>
public sealed class ProcessDimensionTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    private static readonly DateTimeOffset End = new(2026, 11, 25, 11, 59, 0, TimeSpan.Zero);

    [Fact]
    public async Task Stream_EndpointSampleBatchBeforeTheProcessSample_ProcessRowGetsTheMetadata()
    {
        await RollupData.SendAsync(Hub, "web-1", EndpointOnly(1, End), WithProcess(2, End.AddSeconds(10)));

        Assert.Equal(["100 nginx /usr/bin/nginx"], await ProcessRowsAsync());
        Assert.Equal(["2"], await RollupData.RowsAsync(Postgres.ConnectionString, "SELECT count(*) FROM endpoint_samples"));
    }

    [Fact]
    public async Task Resolve_BothBatchesInOneTransaction_ProcessRowGetsTheMetadataAndIsCached()
    {
        var hostId = await HostIdAsync("web-2");
        var cache = new DimensionCache();
        var ids = await ResolveAsync(cache, new PendingWrite(hostId, EndpointOnly(1, End)), new PendingWrite(hostId, WithProcess(2, End.AddSeconds(10))));

        Assert.Equal(["100 nginx /usr/bin/nginx"], await ProcessRowsAsync());
        Assert.Empty(ids.UndescribedProcesses);
        cache.Add(ids);
        Assert.Single(cache.Processes);
    }

    [Fact]
    public async Task Resolve_EndpointOnly_RowWithoutMetadataKeptOutOfTheCacheThenFilledAndNeverBlanked()
    {
        var hostId = await HostIdAsync("web-3");
        var cache = new DimensionCache();

        var first = await ResolveAsync(cache, new PendingWrite(hostId, EndpointOnly(1, End)));
        cache.Add(first);
        Assert.Equal(["100  "], await ProcessRowsAsync());
        Assert.Single(first.UndescribedProcesses);
        Assert.Empty(cache.Processes);

        var second = await ResolveAsync(cache, new PendingWrite(hostId, WithProcess(2, End.AddSeconds(10))));
        cache.Add(second);
        Assert.Equal(["100 nginx /usr/bin/nginx"], await ProcessRowsAsync());
        Assert.Equal(first.Processes.Values, second.Processes.Values);

        // A hub that has not cached it (another replica, or after a restart) sees the endpoint alone again.
        var third = await ResolveAsync(new DimensionCache(), new PendingWrite(hostId, EndpointOnly(3, End.AddSeconds(20))));
        Assert.Equal(["100 nginx /usr/bin/nginx"], await ProcessRowsAsync());
        Assert.Empty(third.UndescribedProcesses);
    }

    private static Batch EndpointOnly(ulong seq, DateTimeOffset end)
    {
        var batch = TestBatches.Batch(seq, end);
        TestBatches.AddTcpEndpoint(batch, 100, [198, 18, 0, 9], 443, 11, 12);
        return batch;
    }

    private static Batch WithProcess(ulong seq, DateTimeOffset end)
    {
        var batch = TestBatches.Batch(seq, end, processes: [(100, "nginx", 5, 6)]);
        TestBatches.AddTcpEndpoint(batch, 100, [198, 18, 0, 9], 443, 5, 6);
        return batch;
    }

    private async Task<long> HostIdAsync(string host)
    {
        await RollupData.SendAsync(Hub, host);
        return long.Parse((await RollupData.RowsAsync(Postgres.ConnectionString, $"SELECT id FROM hosts WHERE name = '{host}'")).Single(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<DimensionIds> ResolveAsync(DimensionCache cache, params PendingWrite[] group)
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var ids = new DimensionIds();
        await ProcessDimension.ResolveAsync(connection, group, cache, ids, CancellationToken.None);
        await transaction.CommitAsync();
        return ids;
    }

    private Task<List<string>> ProcessRowsAsync() =>
        RollupData.RowsAsync(Postgres.ConnectionString, "SELECT pid || ' ' || comm || ' ' || exe FROM processes ORDER BY id");
}
