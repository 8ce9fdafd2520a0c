using System.Net.Http.Json;
using System.Text.Json;
using FleetNet.Hub.Tests.Ingest;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;

namespace FleetNet.Hub.Tests.Agents;

public sealed class AgentsApiTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    [Fact]
    public async Task ListAgents_AfterStoredDuplicateRejectedAndGap_ShowsEachCount()
    {
        var now = Hub.Time.GetUtcNow();
        var withGap = TestBatches.Batch(2, now, processes: [(100, "nginx", 1, 1)]);
        withGap.Strings.Add("spool full");
        withGap.Gaps.Add(new Gap { StartUnixMs = now.AddHours(-1).ToUnixTimeMilliseconds(), EndUnixMs = now.AddMinutes(-30).ToUnixTimeMilliseconds(), BatchesLost = 3, SamplesLost = 30, Reason = (uint)withGap.Strings.Count - 1 });
        withGap.Counters = new AgentCounters { BatchesSent = 6, BatchesLost = 3, SamplesLost = 30 };
        var future = TestBatches.Batch(3, now.AddDays(1));
        await using (var client = await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("web-1")))
        {
            await client.SendAsync(TestBatches.Batch(1, now, processes: [(100, "nginx", 1, 1)]));
            await client.SendAsync(withGap);
            await client.SendAsync(withGap);
            await client.SendAsync(future);
        }

        await using (var replay = await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("web-1")))
        {
            await replay.SendAsync(withGap);
        }

        using var rest = Hub.CreateClient();
        var agent = (await rest.GetFromJsonAsync<JsonElement>("/api/v1/agents")).EnumerateArray().Single();
        var grpc = (await new Protocol.V1.Agents.AgentsClient(Hub.CreateGrpcChannel()).ListAgentsAsync(new ListAgentsRequest())).Agents.Single();

        Assert.Equal("web-1", agent.GetProperty("host").GetString());
        Assert.Equal(6, agent.GetProperty("batchesSent").GetInt64());
        Assert.Equal(2, agent.GetProperty("batchesStored").GetInt64());
        Assert.Equal(4, agent.GetProperty("samplesStored").GetInt64());
        Assert.Equal(2, agent.GetProperty("batchesDuplicate").GetInt64());
        Assert.Equal(1, agent.GetProperty("batchesRejected").GetInt64());
        Assert.Contains("after the hub's clock", agent.GetProperty("lastRejection").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, agent.GetProperty("gaps").GetInt64());
        Assert.Equal(3, agent.GetProperty("batchesLost").GetInt64());
        Assert.Equal(30, agent.GetProperty("samplesLost").GetInt64());
        Assert.Equal((6L, 2L, 2L, 1L, 3L, 30L), (grpc.BatchesSent, grpc.BatchesStored, grpc.BatchesDuplicate, grpc.BatchesRejected, grpc.BatchesLost, grpc.SamplesLost));
    }

    [Fact]
    public async Task ListAgents_CountersOfSeveralEpochs_SentIsSummedAndOlderReplayDoesNotOverwrite()
    {
        var now = Hub.Time.GetUtcNow();
        var firstEpochLate = TestBatches.Batch(9, now, epoch: 900);
        firstEpochLate.Counters = new AgentCounters { BatchesSent = 9 };
        var firstEpochEarly = TestBatches.Batch(4, now, epoch: 900);
        firstEpochEarly.Counters = new AgentCounters { BatchesSent = 4 };
        var secondEpoch = TestBatches.Batch(1, now, epoch: 1000);
        secondEpoch.Counters = new AgentCounters { BatchesSent = 1 };
        await using (var client = await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("web-1", epoch: 1000)))
        {
            await client.SendAsync(firstEpochLate);
            await client.SendAsync(firstEpochEarly);
            await client.SendAsync(secondEpoch);
        }

        var agent = (await new Protocol.V1.Agents.AgentsClient(Hub.CreateGrpcChannel()).ListAgentsAsync(new ListAgentsRequest())).Agents.Single();

        Assert.Equal(10, agent.BatchesSent);
        Assert.Equal(1000, agent.LatestEpoch);
    }
}
