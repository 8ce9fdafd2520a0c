using System.Text.Json;
using FleetNet.Hub.Rollups;
using FleetNet.Hub.Tests.Ingest;
using FleetNet.Hub.Tests.Rollups;
using FleetNet.Hub.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FleetNet.Hub.Tests.Query;

public sealed class TimelineTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static List<string> Points(JsonElement json) => json.GetProperty("points").EnumerateArray()
        .Select(p => $"{p.GetProperty("time").GetDateTimeOffset():dd HH:mm} {p.GetProperty("txBytes")}/{p.GetProperty("rxBytes")} {p.GetProperty("peakBps")}").ToList();

    [Fact]
    public async Task Timeline_HostProcessesTwoHours_PointsPerMinuteFromRollupAndRaw()
    {
        await RollupData.SendAsync(Hub, "web-1",
            TestBatches.Batch(1, Noon.AddMinutes(-60).AddSeconds(-10), processes: [(100, "nginx", 100, 200)]),
            TestBatches.Batch(2, Noon.AddMinutes(-60), processes: [(100, "nginx", 10, 20)]),
            TestBatches.Batch(3, Noon.AddMinutes(-1), processes: [(200, "curl", 1, 2)]));
        await Hub.Services.GetRequiredService<RollupJob>().RunAsync();

        var json = await GetJsonAsync("/api/v1/timeline?host=web-1&window=2h");

        Assert.Equal("1m", json.GetProperty("step").GetString());
        Assert.Equal("1m", json.GetProperty("source").GetString());
        Assert.Equal(["25 10:59 110/220 0", "25 11:58 1/2 0"], Points(json));
        Assert.Equal(["25 11:58 1/2 0"], Points(await GetJsonAsync("/api/v1/timeline?host=web-1&window=2h&process=curl")));
    }

    [Fact]
    public async Task Trends_ThreeDaysDaily_TotalsAndPeakPerDay()
    {
        // 700 tx + 500 rx in 10 s = 960 bit/s.
        await RollupData.SendAsync(Hub, "web-1",
            TestBatches.Batch(1, Noon.AddDays(-2), processes: [(100, "nginx", 1, 1)]),
            TestBatches.Batch(2, Noon.AddDays(-1), processes: [(100, "nginx", 1, 1)]),
            TestBatches.Batch(3, Noon.AddDays(-1).AddMinutes(1), processes: [(100, "nginx", 1, 1)]),
            TestBatches.Batch(4, Noon, processes: [(100, "nginx", 1, 1)]));
        await Hub.Services.GetRequiredService<RollupJob>().RunAsync();

        var daily = await GetJsonAsync("/api/v1/trends?host=web-1&window=3d");
        var weekly = await GetJsonAsync("/api/v1/trends?host=web-1&interface=eth0&window=3d&period=week");

        Assert.Equal("1d", daily.GetProperty("source").GetString());
        Assert.Equal(["23 00:00 700/500 960", "24 00:00 1400/1000 960", "25 00:00 700/500 960"], Points(daily));
        Assert.Equal(["23 00:00 2800/2000 960"], Points(weekly));
    }
}
