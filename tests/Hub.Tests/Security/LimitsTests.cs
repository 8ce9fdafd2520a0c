using FleetNet.Hub.Tests.Ingest;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;

namespace FleetNet.Hub.Tests.Security;

public sealed class LimitsTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    [Fact]
    public async Task Stream_OverRateLimit_ResourceExhaustedWithRetryHintOthersUnaffected()
    {
        await using var hub = new SecureHub(Postgres, ("Security:AgentBatchBurst", "2"), ("Security:AgentBatchesPerSecond", "1"));
        var (a, b) = (await hub.EnrollAsync("a"), await hub.EnrollAsync("b"));
        await using var flood = await IngestClient.ConnectAsync(hub.Channel(), TestBatches.Hello("a"), a.Secret);
        await using var calm = await IngestClient.ConnectAsync(hub.Channel(), TestBatches.Hello("b"), b.Secret);
        var now = hub.Time.GetUtcNow();

        var codes = new List<int>();
        for (var seq = 1UL; seq <= 3; seq++)
        {
            codes.Add((await flood.SendAsync(TestBatches.Batch(seq, now))).Code);
        }

        var limited = await flood.SendAsync(TestBatches.Batch(3, now));
        var other = await calm.SendAsync(TestBatches.Batch(1, now));
        hub.Time.Advance(TimeSpan.FromSeconds(1));
        var later = await flood.SendAsync(TestBatches.Batch(3, now));

        Assert.Equal([0, 0, (int)StatusCode.ResourceExhausted], codes);
        Assert.Equal((int)StatusCode.ResourceExhausted, limited.Code);
        Assert.Equal(3UL, limited.Seq);
        Assert.Contains("retry after", limited.Message, StringComparison.Ordinal);
        Assert.Equal(0, other.Code);
        Assert.Equal(0, later.Code);
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM ingest_ledger WHERE host_id = (SELECT id FROM hosts WHERE name = 'a')"));
    }

    [Fact]
    public async Task Stream_MessageOverMaxSize_ResourceExhaustedOthersUnaffected()
    {
        await using var hub = new SecureHub(Postgres, ("Ingest:MaxMessageBytes", "65536"));
        var (a, b) = (await hub.EnrollAsync("a"), await hub.EnrollAsync("b"));
        await using var huge = await IngestClient.ConnectAsync(hub.Channel(), TestBatches.Hello("a"), a.Secret);
        await using var fine = await IngestClient.ConnectAsync(hub.Channel(), TestBatches.Hello("b"), b.Secret);
        var big = TestBatches.Batch(1, hub.Time.GetUtcNow());
        big.Strings.Add(new string('x', 100_000));

        var sent = huge.SendAsync(TestBatches.Message(big));
        var e = await huge.WaitForEndAsync();

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal(0, (await fine.SendAsync(TestBatches.Batch(1, hub.Time.GetUtcNow()))).Code);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM ingest_ledger WHERE host_id = (SELECT id FROM hosts WHERE name = 'a')"));
        _ = sent;
    }

    [Fact]
    public async Task Stream_TooManyStrings_RefusedWithReason()
    {
        await using var hub = new SecureHub(Postgres, ("Ingest:MaxStringsPerBatch", "16"));
        var a = await hub.EnrollAsync("a");
        await using var client = await IngestClient.ConnectAsync(hub.Channel(), TestBatches.Hello("a"), a.Secret);
        var batch = TestBatches.Batch(1, hub.Time.GetUtcNow());
        for (var i = 0; i < 20; i++)
        {
            batch.Strings.Add($"s{i}");
        }

        var ack = await client.SendAsync(batch);

        Assert.Equal((int)StatusCode.InvalidArgument, ack.Code);
        Assert.Contains("strings (at most 16)", ack.Message, StringComparison.Ordinal);
    }
}
