using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetNet.Hub.Tests.Ingest;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;
using Grpc.Core;

namespace FleetNet.Hub.Tests.Query;

public sealed class TopProcessesTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    /// <summary>
    /// web-1: nginx 1000+2000 now and 500+0 two hours ago; curl 10+20. db-1: postgres 5000+5000.
    /// Over the last hour: postgres 10000, nginx 3000, curl 30.
    /// </summary>
    private async Task SeedAsync()
    {
        var now = Hub.Time.GetUtcNow();
        await using (var web = await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("web-1")))
        {
            Assert.Equal(0, (await web.SendAsync(TestBatches.Batch(1, now.AddHours(-2), processes: [(100, "nginx", 500, 0)]))).Code);
            Assert.Equal(0, (await web.SendAsync(TestBatches.Batch(2, now.AddMinutes(-5), processes: [(100, "nginx", 600, 1500), (200, "curl", 10, 20)]))).Code);
            Assert.Equal(0, (await web.SendAsync(TestBatches.Batch(3, now, processes: [(100, "nginx", 400, 500)]))).Code);
        }

        await using var db = await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("db-1"));
        Assert.Equal(0, (await db.SendAsync(TestBatches.Batch(1, now.AddMinutes(-1), processes: [(100, "postgres", 5000, 5000)]))).Code);
    }

    [Fact]
    public async Task Get_LastHourFleetWide_RanksProcessesByTotalBytes()
    {
        await SeedAsync();

        var json = await Hub.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/top/processes?window=1h&limit=20");

        var items = json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["db-1/postgres", "web-1/nginx", "web-1/curl"], items.Select(i => $"{i.GetProperty("host")}/{i.GetProperty("process")}"));
        Assert.Equal([5000L, 1000, 10], items.Select(i => i.GetProperty("txBytes").GetInt64()));
        Assert.Equal([5000L, 2000, 20], items.Select(i => i.GetProperty("rxBytes").GetInt64()));
        Assert.Equal("/usr/bin/nginx", items[1].GetProperty("exe").GetString());
        Assert.Equal(100, items[1].GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task Get_LongerWindowHostFilterAndLimit_NarrowTheAnswer()
    {
        await SeedAsync();
        var client = Hub.CreateClient();

        var threeHours = await client.GetFromJsonAsync<JsonElement>("/api/v1/top/processes?window=3h&host=web-1&limit=1");

        var only = Assert.Single(threeHours.GetProperty("items").EnumerateArray());
        Assert.Equal("nginx", only.GetProperty("process").GetString());
        Assert.Equal(1500, only.GetProperty("txBytes").GetInt64());
        var unknownHost = await client.GetFromJsonAsync<JsonElement>("/api/v1/top/processes?host=nope");
        Assert.Empty(unknownHost.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("window=abc", "window 'abc' is not understood")]
    [InlineData("window=0h", "out of range")]
    [InlineData("window=-1h", "not understood")]
    [InlineData("limit=-1", "limit '-1' is not valid")]
    [InlineData("limit=0", "limit '0' is not valid")]
    [InlineData("limit=ten", "limit 'ten' is not valid")]
    [InlineData("limit=1001", "limit '1001' is not valid")]
    public async Task Get_InvalidParameter_Returns400WithMessage(string query, string expected)
    {
        var response = await Hub.CreateClient().GetAsync($"/api/v1/top/processes?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_TopProcesses_SameAnswerAsRest()
    {
        await SeedAsync();
        var client = new Protocol.V1.Query.QueryClient(Hub.CreateGrpcChannel());

        var response = await client.TopProcessesAsync(new TopProcessesRequest { Window = "1h", Limit = 2 });

        Assert.Equal(["postgres", "nginx"], response.Items.Select(i => i.Process));
        Assert.Equal(1000UL, response.Items[1].TxBytes);
        Assert.Equal(Hub.Time.GetUtcNow().ToUnixTimeMilliseconds() - 3_600_000, response.FromUnixMs);
    }

    [Fact]
    public async Task Grpc_InvalidWindow_FailsWithInvalidArgument()
    {
        var client = new Protocol.V1.Query.QueryClient(Hub.CreateGrpcChannel());

        var e = await Assert.ThrowsAsync<RpcException>(() => client.TopProcessesAsync(new TopProcessesRequest { Window = "1y" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("1y", e.Status.Detail, StringComparison.Ordinal);
    }
}
