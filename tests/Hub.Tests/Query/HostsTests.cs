using System.Net.Http.Json;
using System.Text.Json;
using FleetNet.Hub.Tests.Ingest;
using FleetNet.Hub.Tests.Storage;

namespace FleetNet.Hub.Tests.Query;

public sealed class HostsTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    [Fact]
    public async Task Get_AfterHello_ListsHostWithKernelVersionAndCollectors()
    {
        await using (await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("web-1")))
        {
        }

        var hosts = await Hub.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/hosts");

        var host = Assert.Single(hosts.EnumerateArray());
        Assert.Equal("web-1", host.GetProperty("name").GetString());
        Assert.Equal("6.18.0-test", host.GetProperty("kernel").GetString());
        Assert.Equal("test", host.GetProperty("agentVersion").GetString());
        Assert.Equal("btf_tracepoint", host.GetProperty("fidelity").GetString());
        Assert.Equal(["interfaces", "processes:tp_btf"], host.GetProperty("collectors").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("test", host.GetProperty("labels").GetProperty("role").GetString());
        Assert.Equal(Hub.Time.GetUtcNow(), host.GetProperty("lastSeen").GetDateTimeOffset());
    }
}
