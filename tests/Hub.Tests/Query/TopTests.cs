using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetNet.Hub.Rollups;
using FleetNet.Hub.Tests.Ingest;
using FleetNet.Hub.Tests.Rollups;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.DependencyInjection;

namespace FleetNet.Hub.Tests.Query;

/// <summary>
/// Clock 12:00. web-1 (role=test): nginx 100/200 at 10:59:50, nginx 10/20 at 11:00, curl 1/2 at 11:30, eth0 700/500 per batch.
/// db-1 (role=test): postgres 1000/1000 at 10:30 in container "pg" talking to 198.18.0.7:5432 (300/400), eth0 700/500.
/// </summary>
public sealed class TopTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private async Task SeedAsync()
    {
        await RollupData.SendAsync(Hub, "web-1",
            TestBatches.Batch(1, Noon.AddMinutes(-60).AddSeconds(-10), processes: [(100, "nginx", 100, 200)]),
            TestBatches.Batch(2, Noon.AddMinutes(-60), processes: [(100, "nginx", 10, 20)]),
            TestBatches.Batch(3, Noon.AddMinutes(-30), processes: [(200, "curl", 1, 2)]));
        var db = TestBatches.Batch(1, Noon.AddMinutes(-90), processes: [(100, "postgres", 1000, 1000)]);
        TestBatches.InCgroup(db, 42, "/system.slice/docker-abc.scope", containerName: "pg");
        TestBatches.AddTcpEndpoint(db, 100, [198, 18, 0, 7], 5432, tx: 300, rx: 400);
        await RollupData.SendAsync(Hub, "db-1", db);
    }

    private static List<string> Items(JsonElement json, string key) =>
        json.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty(key)} {i.GetProperty("txBytes")}/{i.GetProperty("rxBytes")}").ToList();

    [Fact]
    public async Task Names_HourBeforeAndAfterRollup_MinutesThenHourSameAnswerAsRaw()
    {
        await SeedAsync();
        var minutes = await GetJsonAsync("/api/v1/top/names?from=2026-11-25T10:00:00Z&to=2026-11-25T11:00:00Z");
        var raw = await GetJsonAsync("/api/v1/top/names?from=2026-11-25T10:00:00Z&to=2026-11-25T11:00:00Z&label=role=test");
        await Hub.Services.GetRequiredService<RollupJob>().RunAsync();

        var rolled = await GetJsonAsync("/api/v1/top/names?from=2026-11-25T10:00:00Z&to=2026-11-25T11:00:00Z");

        Assert.Equal("1m", minutes.GetProperty("source").GetString());
        Assert.Equal("raw", raw.GetProperty("source").GetString());
        Assert.Equal(Items(raw, "process"), Items(minutes, "process"));
        Assert.Equal("1h", rolled.GetProperty("source").GetString());
        Assert.Equal(["postgres 1000/1000", "nginx 110/220"], Items(rolled, "process"));
        Assert.Equal(Items(raw, "process"), Items(rolled, "process"));
    }

    [Fact]
    public async Task Names_WindowAfterRollup_HoursPlusIngestKeptMinutesNoRaw()
    {
        await SeedAsync();
        await Hub.Services.GetRequiredService<RollupJob>().RunAsync();

        var json = await GetJsonAsync("/api/v1/top/names?window=3h");

        Assert.Equal("1h", json.GetProperty("source").GetString());
        Assert.Equal(["postgres 1000/1000", "nginx 110/220", "curl 1/2"], Items(json, "process"));
        Assert.Equal(["1h", "1m"], json.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("source").GetString()).ToList());
    }

    [Fact]
    public async Task Names_NewestMinutesNeverRolledUp_AnsweredFromMinutesExactly()
    {
        await SeedAsync();

        var json = await GetJsonAsync("/api/v1/top/names?window=1h");
        var raw = await GetJsonAsync("/api/v1/top/names?from=2026-11-25T11:00:00Z&to=2026-11-25T12:00:00Z&host=web-1");

        Assert.Equal("1m", json.GetProperty("source").GetString());
        Assert.Equal(["curl 1/2"], Items(json, "process"));
        Assert.Equal(Items(raw, "process"), Items(json, "process"));
        Assert.Equal("raw", raw.GetProperty("source").GetString());
    }

    [Fact]
    public async Task Window_MidMinute_EndsAtTheEndOfTheCurrentMinute()
    {
        await SeedAsync();
        Hub.Time.Advance(TimeSpan.FromSeconds(30));

        var json = await GetJsonAsync("/api/v1/top/names?window=1h");

        Assert.Equal(new DateTimeOffset(2026, 11, 25, 11, 1, 0, TimeSpan.Zero), json.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 12, 1, 0, TimeSpan.Zero), json.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(["curl 1/2"], Items(json, "process"));
    }

    [Fact]
    public async Task Hosts_LimitOne_OtherRowMakesTotalsAddUpAndPagesOn()
    {
        await SeedAsync();

        var first = await GetJsonAsync("/api/v1/top/hosts?window=2h&limit=1&label=role=test");
        var second = await GetJsonAsync("/api/v1/top/hosts?window=2h&limit=1&offset=1");

        Assert.Equal(["db-1 1000/1000"], Items(first, "host"));
        Assert.Equal(111, first.GetProperty("otherTxBytes").GetInt64());
        Assert.Equal(1111, first.GetProperty("totalTxBytes").GetInt64());
        Assert.Equal(1, first.GetProperty("nextOffset").GetInt32());
        Assert.Equal(["web-1 111/222"], Items(second, "host"));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextOffset").ValueKind);
        Assert.Empty((await GetJsonAsync("/api/v1/top/hosts?window=2h&label=role=none")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task ContainersEndpointsInterfaces_Ranked()
    {
        await SeedAsync();

        var containers = await GetJsonAsync("/api/v1/top/containers?window=2h&host=db-1");
        var endpoints = await GetJsonAsync("/api/v1/top/endpoints?window=2h&container=pg");
        var interfaces = await GetJsonAsync("/api/v1/top/interfaces?window=2h&host=web-1");
        var processes = await GetJsonAsync("/api/v1/top/processes?window=2h&process=curl");

        Assert.Equal(["pg 1000/1000"], Items(containers, "container"));
        Assert.Equal(["198.18.0.7 300/400"], Items(endpoints, "address"));
        Assert.Equal(5432, endpoints.GetProperty("items")[0].GetProperty("port").GetInt32());
        Assert.Equal(["eth0 2100/1500"], Items(interfaces, "interface"));
        Assert.Equal(["web-1 1/2"], Items(processes, "host"));
    }

    [Theory]
    [InlineData("/api/v1/top/widgets", "cannot be ranked")]
    [InlineData("/api/v1/top/names?window=1h&from=2026-11-25T10:00:00Z", "either window or from/to")]
    [InlineData("/api/v1/top/names?from=yesterday", "from 'yesterday' is not a date")]
    [InlineData("/api/v1/top/names?from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z", "to must be later than from")]
    [InlineData("/api/v1/top/hosts?offset=-3", "offset '-3' is not valid")]
    [InlineData("/api/v1/top/hosts?limit=5000", "limit '5000' is not valid")]
    [InlineData("/api/v1/top/hosts?label=role", "label 'role' is not understood")]
    [InlineData("/api/v1/timeline?step=5m", "step '5m' is not known")]
    [InlineData("/api/v1/timeline?window=30d&step=1m", "step 1m is allowed for windows up to 2 days")]
    [InlineData("/api/v1/timeline?series=disks", "series 'disks' is not known")]
    [InlineData("/api/v1/trends?period=month", "period 'month' is not known")]
    [InlineData("/api/v1/trends?window=1y", "window '1y' is not understood")]
    public async Task Get_InvalidParameter_Returns400WithDetail(string url, string expected)
    {
        var response = await Hub.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
