using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;
using Grpc.Core;

namespace FleetNet.Hub.Tests.Ingest;

public sealed class IngestServiceTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    [Fact]
    public async Task Stream_Batch_StoresSamplesAndAcksAfterCommit()
    {
        await using var client = await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("web-1"));

        var ack = await client.SendAsync(TestBatches.Batch(1, Hub.Time.GetUtcNow(), processes: [(100, "nginx", 1000, 2000), (200, "curl", 10, 20)]));

        Assert.Equal(0, ack.Code);
        Assert.False(ack.Duplicate);
        Assert.Equal(1UL, ack.Seq);
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM process_samples"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM interface_samples"));
        Assert.Equal(1030, await CountAsync("SELECT sum(tx_bytes + rx_bytes) - 2000 FROM process_samples"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM ingest_ledger"));
    }

    [Fact]
    public async Task Stream_ReplayedBatchOnNewStream_StoredOnceAndAckedAsDuplicate()
    {
        var batch = TestBatches.Batch(7, Hub.Time.GetUtcNow(), processes: [(100, "nginx", 1000, 2000)]);
        await using (var first = await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("web-1")))
        {
            Assert.False((await first.SendAsync(batch)).Duplicate);
        }

        await using var replay = await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("web-1"));
        var ack = await replay.SendAsync(batch);

        Assert.Equal(0, ack.Code);
        Assert.True(ack.Duplicate);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM process_samples"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM interface_samples"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM processes"));
    }

    [Fact]
    public async Task Stream_EarlierEpochReplayedAfterRestart_StoredWithReceiveTime()
    {
        var now = Hub.Time.GetUtcNow();
        var old = TestBatches.Batch(5, now.AddMinutes(-3), epoch: 900, processes: [(100, "nginx", 40, 0)]);
        await using var restarted = await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("web-1", epoch: 1000));

        var replayed = await restarted.SendAsync(old);
        var again = await restarted.SendAsync(old);
        var current = await restarted.SendAsync(TestBatches.Batch(5, now, epoch: 1000, processes: [(100, "nginx", 2, 0)]));

        Assert.Equal((0, false, 900UL), (replayed.Code, replayed.Duplicate, replayed.Epoch));
        Assert.True(again.Duplicate);
        Assert.Equal((0, false), (current.Code, current.Duplicate));
        Assert.Equal(42, await CountAsync("SELECT sum(tx_bytes) FROM process_samples"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM ingest_ledger WHERE epoch = 900 AND received_at = '{now:O}'"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM process_samples WHERE time = '{now.AddMinutes(-3):O}'"));
    }

    [Fact]
    public async Task Stream_SameSeqFromAnotherHost_StoredForEachHost()
    {
        var batch = TestBatches.Batch(1, Hub.Time.GetUtcNow(), processes: [(100, "nginx", 1000, 2000)]);
        await using (var a = await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("web-1")))
        {
            await a.SendAsync(batch);
        }

        await using var b = await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("web-2"));
        Assert.False((await b.SendAsync(batch)).Duplicate);
        Assert.Equal(2, await CountAsync("SELECT count(DISTINCT host_id) FROM process_samples"));
    }

    [Fact]
    public async Task Stream_MalformedBatchesAmongGoodOnes_RefusedWithInvalidArgumentOthersStored()
    {
        var now = Hub.Time.GetUtcNow();
        await using var client = await IngestClient.ConnectAsync(Hub.CreateGrpcChannel(), TestBatches.Hello("web-1"));
        var badIndex = TestBatches.Batch(2, now, processes: [(100, "nginx", 1, 1)]);
        badIndex.Processes[0].Exe = 999;
        var future = TestBatches.Batch(3, now.AddHours(2), processes: [(100, "nginx", 1, 1)]);
        var wrongEpoch = TestBatches.Batch(4, now, epoch: 1001, processes: [(100, "nginx", 1, 1)]);

        var acks = new List<Ack>
        {
            await client.SendAsync(TestBatches.Batch(1, now, processes: [(100, "nginx", 100, 0)])),
            await client.SendAsync(new AgentMessage { Batch = Google.Protobuf.ByteString.CopyFrom(0xff, 0xff, 0xff, 0x07, 0x01) }),
            await client.SendAsync(badIndex),
            await client.SendAsync(future),
            await client.SendAsync(wrongEpoch),
            await client.SendAsync(new AgentMessage { Hello = TestBatches.Hello("web-2") }),
            await client.SendAsync(TestBatches.Batch(5, now, processes: [(100, "nginx", 10, 0)])),
        };

        Assert.Equal([0, 3, 3, 3, 3, 3, 0], acks.Select(a => a.Code));
        Assert.All(acks.Where(a => a.Code != 0), a => Assert.False(string.IsNullOrWhiteSpace(a.Message)));
        Assert.Contains("string table", acks[2].Message, StringComparison.Ordinal);
        Assert.Contains("after the hub's clock", acks[3].Message, StringComparison.Ordinal);
        Assert.Equal(110, await CountAsync("SELECT sum(tx_bytes) FROM process_samples"));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM ingest_ledger"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM hosts WHERE name = 'web-2'"));
    }

    [Fact]
    public async Task Stream_FirstMessageIsNotHello_FailsWithInvalidArgument()
    {
        var call = new Protocol.V1.Ingest.IngestClient(Hub.CreateGrpcChannel()).Stream();
        await call.RequestStream.WriteAsync(TestBatches.Message(TestBatches.Batch(1, Hub.Time.GetUtcNow())));

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("Hello", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_HelloWithoutHostName_FailsWithInvalidArgument()
    {
        var call = new Protocol.V1.Ingest.IngestClient(Hub.CreateGrpcChannel()).Stream();
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = TestBatches.Hello("") });

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM hosts"));
    }
}
