using FleetNet.Hub.Rollups;
using FleetNet.Hub.Tests.Rollups;
using FleetNet.Hub.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FleetNet.Hub.Tests.Ingest;

/// <summary>
/// name_1m is kept by the ingest writer: per (minute, comm, exe) sums, exact as soon as a batch is committed.
/// Clock 12:00. A sample's minute is the one its interval end closes: 12:00:00 belongs to 11:59, 11:59:50 too.
/// </summary>
public sealed class NameMinutesTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private Task<List<string>> RowsAsync(string sql) => RollupData.RowsAsync(Postgres.ConnectionString, sql);

    [Fact]
    public async Task Stream_SamplesOfManyHosts_SummedPerProgramAndMinuteOnceEach()
    {
        var first = TestBatches.Batch(1, Noon, processes: [(100, "nginx", 1000, 2000), (200, "curl", 1, 2)]);
        await RollupData.SendAsync(Hub, "web-1", first, TestBatches.Batch(2, Noon.AddSeconds(10), processes: [(100, "nginx", 5, 6)]));
        await RollupData.SendAsync(Hub, "web-2", TestBatches.Batch(1, Noon.AddSeconds(-10), processes: [(300, "nginx", 10, 20)]));

        // A replay of a stored batch is a duplicate: it adds nothing.
        await using (var replay = await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("web-1")))
        {
            Assert.True((await replay.SendAsync(first)).Duplicate);
        }

        Assert.Equal(
        [
            "2026-11-25 11:59 curl /usr/bin/curl 1 2 1 1",
            "2026-11-25 11:59 nginx /usr/bin/nginx 1010 2020 2 2",
            "2026-11-25 12:00 nginx /usr/bin/nginx 5 6 1 1",
        ], await RowsAsync("SELECT bucket, comm, exe, tx_bytes, rx_bytes, tx_calls, rx_calls FROM name_1m ORDER BY 1, 2"));
    }

    [Fact]
    public async Task Stream_LateSampleForRolledUpHour_InMinutesAtOnceAndInHourAfterNextRun()
    {
        await RollupData.SendAsync(Hub, "web-1", TestBatches.Batch(1, Noon.AddMinutes(-90), processes: [(100, "nginx", 100, 200)]));
        var job = Hub.Services.GetRequiredService<RollupJob>();
        await job.RunAsync();
        Assert.Equal(["2026-11-25 10:00 nginx 100 200"], await RowsAsync("SELECT bucket, comm, tx_bytes, rx_bytes FROM name_1h"));

        await RollupData.SendAsync(Hub, "web-2", TestBatches.Batch(1, Noon.AddMinutes(-80), processes: [(300, "nginx", 1, 2)]));
        var minutes = await RowsAsync("SELECT bucket, comm, tx_bytes, rx_bytes FROM name_1m ORDER BY 1");
        await job.RunAsync();

        Assert.Equal(["2026-11-25 10:29 nginx 100 200", "2026-11-25 10:39 nginx 1 2"], minutes);
        Assert.Equal(["2026-11-25 10:00 nginx 101 202"], await RowsAsync("SELECT bucket, comm, tx_bytes, rx_bytes FROM name_1h"));
        Assert.Equal(minutes, await RowsAsync("SELECT bucket, comm, tx_bytes, rx_bytes FROM name_1m ORDER BY 1"));
    }
}
