using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetNet.Hub.Rollups;
using FleetNet.Hub.Tests.Ingest;
using FleetNet.Hub.Tests.Rollups;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace FleetNet.Hub.Tests.Query;

/// <summary>
/// gRPC Query.Top / Timeline / Trends against REST on the same hand-made data: the same answer field by
/// field, and the same sentence for a bad parameter (INVALID_ARGUMENT detail = the 400 problem's detail).
/// Clock 12:00. app-1 (role=test): api 400/40 at 10:20 and 50/5 at 11:40, cron 3/4 at 11:50, in unit
/// "api.service" talking to 198.18.0.9:443; app-2 (role=test): worker 900/90 at 11:10. eth0 700/500 per batch.
/// </summary>
public sealed class GrpcQueryTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private async Task SeedAsync()
    {
        var first = TestBatches.Batch(1, Noon.AddMinutes(-100), processes: [(300, "api", 400, 40)]);
        TestBatches.InCgroup(first, 7, "/system.slice/api.service", unit: "api.service");
        TestBatches.AddTcpEndpoint(first, 300, [198, 18, 0, 9], 443, tx: 120, rx: 30);
        await RollupData.SendAsync(Hub, "app-1",
            first,
            TestBatches.Batch(2, Noon.AddMinutes(-20), processes: [(300, "api", 50, 5)]),
            TestBatches.Batch(3, Noon.AddMinutes(-10), processes: [(301, "cron", 3, 4)]));
        await RollupData.SendAsync(Hub, "app-2", TestBatches.Batch(1, Noon.AddMinutes(-50), processes: [(400, "worker", 900, 90)]));
        await Hub.Services.GetRequiredService<RollupJob>().RunAsync();
    }

    [Theory]
    [InlineData("processes", "window=3h")]
    [InlineData("processes", "window=3h&host=app-1&limit=1&offset=1")]
    [InlineData("names", "from=2026-11-25T10:00:00Z&to=2026-11-25T12:00:00Z&process=api")]
    [InlineData("hosts", "window=2h&limit=1&label=role=test")]
    [InlineData("containers", "window=3h&container=api.service")]
    [InlineData("endpoints", "window=3h")]
    [InlineData("interfaces", "window=1h&host=app-2")]
    public async Task Top_EveryGrouping_GrpcAnswersAsRest(string groupBy, string query)
    {
        await SeedAsync();
        var parameters = Parse(query);

        var rest = await GetJsonAsync($"/api/v1/top/{groupBy}?{query}");
        var grpc = await Client().TopAsync(TopRequest(groupBy, parameters));

        Assert.NotEmpty(grpc.Items);
        Assert.Equal(RestTop(rest), GrpcTop(grpc));
    }

    [Theory]
    [InlineData("host=app-1&window=2h")]
    [InlineData("series=interfaces&host=app-1&interface=eth0&window=3h&step=1h")]
    [InlineData("process=worker&from=2026-11-25T11:00:00Z&to=2026-11-25T11:30:00Z")]
    public async Task Timeline_GrpcAnswersAsRest(string query)
    {
        await SeedAsync();
        var p = Parse(query);

        var rest = await GetJsonAsync($"/api/v1/timeline?{query}");
        var grpc = await Client().TimelineAsync(new TimelineRequest
        {
            Series = p.GetValueOrDefault("series", ""), Window = p.GetValueOrDefault("window", ""), From = p.GetValueOrDefault("from", ""),
            To = p.GetValueOrDefault("to", ""), Step = p.GetValueOrDefault("step", ""), Host = p.GetValueOrDefault("host", ""),
            Label = p.GetValueOrDefault("label", ""), Process = p.GetValueOrDefault("process", ""), Interface = p.GetValueOrDefault("interface", ""),
        });

        Assert.NotEmpty(grpc.Points);
        Assert.Equal(RestTimeline(rest), GrpcTimeline(grpc));
    }

    [Theory]
    [InlineData("host=app-1&window=3d")]
    [InlineData("label=role=test&interface=eth0&window=30d&period=week")]
    public async Task Trends_GrpcAnswersAsRest(string query)
    {
        await SeedAsync();
        var p = Parse(query);

        var rest = await GetJsonAsync($"/api/v1/trends?{query}");
        var grpc = await Client().TrendsAsync(new TrendsRequest
        {
            Window = p.GetValueOrDefault("window", ""), Period = p.GetValueOrDefault("period", ""), Host = p.GetValueOrDefault("host", ""),
            Label = p.GetValueOrDefault("label", ""), Interface = p.GetValueOrDefault("interface", ""),
        });

        Assert.NotEmpty(grpc.Points);
        Assert.Equal(RestTimeline(rest), GrpcTimeline(grpc));
    }

    [Theory]
    [InlineData("top/flows", "window=1h")]
    [InlineData("top/hosts", "window=1y")]
    [InlineData("top/hosts", "limit=1001")]
    [InlineData("top/hosts", "offset=-1")]
    [InlineData("top/names", "from=2026-11-25T12:00:00Z&to=2026-11-25T11:00:00Z")]
    [InlineData("top/processes", "label=role")]
    [InlineData("timeline", "step=5m")]
    [InlineData("timeline", "series=flows")]
    [InlineData("timeline", "window=7d&step=1m")]
    [InlineData("trends", "period=month")]
    [InlineData("trends", "window=abc")]
    public async Task Query_BadParameter_InvalidArgumentWithTheRestDetail(string path, string query)
    {
        var response = await Hub.CreateClient().GetAsync($"/api/v1/{path}?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        var p = Parse(query);
        var client = Client();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            switch (path)
            {
                case "timeline":
                    await client.TimelineAsync(new TimelineRequest { Series = p.GetValueOrDefault("series", ""), Window = p.GetValueOrDefault("window", ""), Step = p.GetValueOrDefault("step", "") });
                    break;
                case "trends":
                    await client.TrendsAsync(new TrendsRequest { Window = p.GetValueOrDefault("window", ""), Period = p.GetValueOrDefault("period", "") });
                    break;
                default:
                    await client.TopAsync(TopRequest(path["top/".Length..], p));
                    break;
            }
        });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(detail, error.Status.Detail);
    }

    private FleetNet.Protocol.V1.Query.QueryClient Client() => new(Hub.CreateGrpcChannel());

    private static TopRequest TopRequest(string groupBy, Dictionary<string, string> p) => new()
    {
        GroupBy = groupBy,
        Window = p.GetValueOrDefault("window", ""),
        From = p.GetValueOrDefault("from", ""),
        To = p.GetValueOrDefault("to", ""),
        Limit = p.TryGetValue("limit", out var limit) ? int.Parse(limit, CultureInfo.InvariantCulture) : 0,
        Offset = p.TryGetValue("offset", out var offset) ? int.Parse(offset, CultureInfo.InvariantCulture) : 0,
        Host = p.GetValueOrDefault("host", ""),
        Label = p.GetValueOrDefault("label", ""),
        Container = p.GetValueOrDefault("container", ""),
        Process = p.GetValueOrDefault("process", ""),
    };

    private static Dictionary<string, string> Parse(string query) =>
        query.Split('&').Select(pair => pair.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

    private static long Ms(JsonElement time) => time.GetDateTimeOffset().ToUnixTimeMilliseconds();

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null;

    private static List<string> Segments(JsonElement json) =>
        json.GetProperty("segments").EnumerateArray().Select(s => $"{s.GetProperty("source")} {Ms(s.GetProperty("from"))}-{Ms(s.GetProperty("to"))}").ToList();

    private static List<string> Segments(IEnumerable<QuerySegment> segments) => segments.Select(s => $"{s.Source} {s.FromUnixMs}-{s.ToUnixMs}").ToList();

    private static List<string> RestTop(JsonElement json)
    {
        var lines = new List<string>
        {
            $"{Ms(json.GetProperty("from"))}-{Ms(json.GetProperty("to"))} {json.GetProperty("source")} {string.Join(",", Segments(json))}",
            $"other {json.GetProperty("otherTxBytes")}/{json.GetProperty("otherRxBytes")} total {json.GetProperty("totalTxBytes")}/{json.GetProperty("totalRxBytes")} next {Text(json, "nextOffset")}",
        };
        foreach (var i in json.GetProperty("items").EnumerateArray())
        {
            var start = Text(i, "startTime") is null ? null : Ms(i.GetProperty("startTime")).ToString(CultureInfo.InvariantCulture);
            lines.Add(string.Join('|', Text(i, "host"), Text(i, "process"), Text(i, "exe"), Text(i, "pid"), start, Text(i, "cmdline"), Text(i, "cgroup"), Text(i, "uid"),
                Text(i, "container"), Text(i, "interface"), Text(i, "address"), Text(i, "port"),
                Text(i, "txBytes"), Text(i, "rxBytes"), Text(i, "txCalls"), Text(i, "rxCalls")));
        }

        return lines;
    }

    private static List<string> GrpcTop(TopResponse response)
    {
        var lines = new List<string>
        {
            $"{response.FromUnixMs}-{response.ToUnixMs} {response.Source} {string.Join(",", Segments(response.Segments))}",
            $"other {response.OtherTxBytes}/{response.OtherRxBytes} total {response.TotalTxBytes}/{response.TotalRxBytes} next {(response.HasNextOffset ? response.NextOffset : null)}",
        };
        foreach (var i in response.Items)
        {
            lines.Add(string.Join('|', i.HasHost ? i.Host : null, i.HasProcess ? i.Process : null, i.HasExe ? i.Exe : null, i.HasPid ? i.Pid : null,
                i.HasStartUnixMs ? i.StartUnixMs : null, i.HasCmdline ? i.Cmdline : null, i.HasCgroup ? i.Cgroup : null, i.HasUid ? i.Uid : null,
                i.HasContainer ? i.Container : null, i.HasInterface ? i.Interface : null, i.HasAddress ? i.Address : null, i.HasPort ? i.Port : null,
                i.TxBytes, i.RxBytes, i.TxCalls, i.RxCalls));
        }

        return lines;
    }

    private static List<string> RestTimeline(JsonElement json) =>
    [
        $"{Ms(json.GetProperty("from"))}-{Ms(json.GetProperty("to"))} {json.GetProperty("step")} {json.GetProperty("source")} {string.Join(",", Segments(json))}",
        .. json.GetProperty("points").EnumerateArray().Select(p => $"{Ms(p.GetProperty("time"))} {p.GetProperty("txBytes")}/{p.GetProperty("rxBytes")} {p.GetProperty("peakBps")}"),
    ];

    private static List<string> GrpcTimeline(TimelineResponse response) =>
    [
        $"{response.FromUnixMs}-{response.ToUnixMs} {response.Step} {response.Source} {string.Join(",", Segments(response.Segments))}",
        .. response.Points.Select(p => $"{p.TimeUnixMs} {p.TxBytes}/{p.RxBytes} {p.PeakBps}"),
    ];
}
