using FleetNet.Hub.Rollups;
using FleetNet.Hub.Tests.Ingest;
using FleetNet.Hub.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FleetNet.Hub.Tests.Rollups;

/// <summary>
/// The clock starts at 2026-11-25 12:00. Samples end at 10:59:50 (nginx 100/200), 11:00:00 (nginx 10/20: it
/// closes minute 10:59) and 11:30:00 (curl 1/2, minute 11:29). With the default 2-minute lag a run at 12:00
/// claims minutes up to 11:58 and hours up to 11:00.
/// </summary>
public sealed class RollupJobTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private async Task SeedAsync() => await RollupData.SendAsync(Hub, "web-1",
        TestBatches.Batch(1, Noon.AddMinutes(-60).AddSeconds(-10), processes: [(100, "nginx", 100, 200)]),
        TestBatches.Batch(2, Noon.AddMinutes(-60), processes: [(100, "nginx", 10, 20)]),
        TestBatches.Batch(3, Noon.AddMinutes(-30), processes: [(200, "curl", 1, 2)]));

    private Task<int> RunAsync() => Hub.Services.GetRequiredService<RollupJob>().RunAsync();

    private Task<List<string>> RowsAsync(string sql) => RollupData.RowsAsync(Postgres.ConnectionString, sql);

    [Fact]
    public async Task Run_ClosedBuckets_RollsMinutesHoursAndNamesWithIntervalEndSemantics()
    {
        await SeedAsync();

        await RunAsync();

        Assert.Equal(["2026-11-25 10:59 100 110 220", "2026-11-25 11:29 200 1 2"],
            await RowsAsync("SELECT r.bucket, p.pid, r.tx_bytes, r.rx_bytes FROM process_1m r JOIN processes p ON p.id = r.process_id ORDER BY 1"));
        Assert.Equal(["2026-11-25 10:00 100 110 220"],
            await RowsAsync("SELECT r.bucket, p.pid, r.tx_bytes, r.rx_bytes FROM process_1h r JOIN processes p ON p.id = r.process_id ORDER BY 1"));
        Assert.Equal(["2026-11-25 10:00 nginx /usr/bin/nginx 110 220"], await RowsAsync("SELECT bucket, comm, exe, tx_bytes, rx_bytes FROM name_1h"));
        Assert.Equal(["2026-11-25 10:00 1400 1000"], await RowsAsync("SELECT bucket, tx_bytes, rx_bytes FROM interface_1h"));
        Assert.Equal(["1h 2026-11-25 11:00", "1m 2026-11-25 11:58"], await RowsAsync("SELECT level, watermark FROM rollup_watermarks WHERE level <> '1d' ORDER BY 1"));
        Assert.Empty(await RowsAsync("SELECT * FROM rollup_dirty"));
    }

    [Fact]
    public async Task Run_AfterThreeHoursDown_CatchesUpEveryBucketOfTheGap()
    {
        await SeedAsync();
        await RunAsync();
        Hub.Time.Advance(TimeSpan.FromHours(3));
        await RollupData.SendAsync(Hub, "web-2", TestBatches.Batch(1, Noon.AddHours(1).AddMinutes(30), processes: [(300, "redis", 7, 8)]));

        await RunAsync();

        Assert.Equal(["2026-11-25 10:00 110 220", "2026-11-25 11:00 1 2", "2026-11-25 13:00 7 8"],
            await RowsAsync("SELECT bucket, sum(tx_bytes), sum(rx_bytes) FROM process_1h GROUP BY 1 ORDER BY 1"));
        Assert.Equal(["1h 2026-11-25 14:00", "1m 2026-11-25 14:58"], await RowsAsync("SELECT level, watermark FROM rollup_watermarks WHERE level <> '1d' ORDER BY 1"));
    }

    [Fact]
    public async Task Run_LateSampleForRolledUpMinute_RecomputesMinuteAndHour()
    {
        await SeedAsync();
        await RunAsync();

        await RollupData.SendAsync(Hub, "web-1", TestBatches.Batch(4, Noon.AddMinutes(-75), epoch: 1000, processes: [(100, "nginx", 5, 5)]));
        Assert.Equal(["1m 2026-11-25 10:44"], await RowsAsync("SELECT level, bucket FROM rollup_dirty"));
        await RunAsync();
        await RunAsync();

        Assert.Equal(["2026-11-25 10:44 5 5", "2026-11-25 10:59 110 220", "2026-11-25 11:29 1 2"],
            await RowsAsync("SELECT bucket, sum(tx_bytes), sum(rx_bytes) FROM process_1m GROUP BY 1 ORDER BY 1"));
        Assert.Equal(["2026-11-25 10:00 nginx 115 225"], await RowsAsync("SELECT bucket, comm, tx_bytes, rx_bytes FROM name_1h"));
    }

    [Fact]
    public async Task Run_NextDay_RollsTheDayFromHours()
    {
        await SeedAsync();
        Hub.Time.Advance(TimeSpan.FromHours(13));

        await RunAsync();

        Assert.Equal(["2026-11-25 00:00 111 222"], await RowsAsync("SELECT bucket, sum(tx_bytes), sum(rx_bytes) FROM process_1d GROUP BY 1"));
        Assert.Equal(["2026-11-25 00:00 2100 1500"], await RowsAsync("SELECT bucket, tx_bytes, rx_bytes FROM interface_1d"));
    }
}
