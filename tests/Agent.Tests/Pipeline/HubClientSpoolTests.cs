using FleetNet.Agent.Hosting;
using FleetNet.Agent.Pipeline;
using FleetNet.Agent.Spool;
using FleetNet.Agent.Tests.Spool;
using FleetNet.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FleetNet.Agent.Tests.Pipeline;

/// <summary>The hub client over a disk spool, against a real gRPC endpoint.</summary>
public sealed class HubClientSpoolTests : IAsyncLifetime
{
    private const ulong OldEpoch = 1_764_000_000_000;
    private const ulong NewEpoch = 1_764_072_000_000;

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new();
    private TestIngestHub _hub = null!;

    public async Task InitializeAsync() => _hub = await TestIngestHub.StartAsync();

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Run_AfterRestart_SendsPreviousEpochsUnackedBatchesFirstInOrderUnderTheNewHello()
    {
        using (var before = OpenOutbox())
        {
            for (var seq = 1UL; seq <= 4; seq++)
            {
                before.Enqueue(TestBatches.Entry(OldEpoch, seq));
            }

            before.Remove(OldEpoch, 1);
        }

        using var outbox = OpenOutbox();
        outbox.Enqueue(TestBatches.Entry(NewEpoch, 1));
        outbox.Enqueue(TestBatches.Entry(NewEpoch, 2));

        await RunUntilEmptyAsync(outbox);

        var stream = Assert.Single(_hub.State.Streams);
        Assert.Equal(NewEpoch, stream[0].Hello.Epoch);
        Assert.Equal([(OldEpoch, 2UL), (OldEpoch, 3), (OldEpoch, 4), (NewEpoch, 1), (NewEpoch, 2)], BatchesOf(stream));
        outbox.Dispose();
        using var reopened = OpenOutbox();
        Assert.Equal(0, reopened.Count);
    }

    [Fact]
    public async Task Run_HubRejectsOneSpooledBatch_SetsItAsideAndDeliversTheRest()
    {
        using var outbox = OpenOutbox();
        for (var seq = 1UL; seq <= 3; seq++)
        {
            outbox.Enqueue(TestBatches.Entry(NewEpoch, seq));
        }

        _hub.State.Answer = (_, batch) => batch.Seq == 2 ? HubAnswer.Reject : null;

        await RunUntilEmptyAsync(outbox);

        Assert.Equal([(NewEpoch, 1UL), (NewEpoch, 3UL)], _hub.State.Stores.Keys.Order());
        var aside = Assert.Single(Directory.GetFiles(Path.Combine(_directory.Path, "rejected"), "*.batch"));
        Assert.Equal(2UL, Batch.Parser.ParseFrom(File.ReadAllBytes(aside)).Seq);
        Assert.Equal(1UL, outbox.Counters.BatchesRejected);
    }

    [Fact]
    public async Task Run_StreamBreaksRepeatedly_EveryBatchStoredExactlyOnce()
    {
        using var outbox = OpenOutbox();
        for (var seq = 1UL; seq <= 20; seq++)
        {
            outbox.Enqueue(TestBatches.Entry(NewEpoch, seq));
        }

        // Each of the first five streams breaks at a different batch, after storing some without acking.
        _hub.State.Answer = (stream, batch) => stream < 5 && batch.Seq == (ulong)(stream * 4) + 3 ? HubAnswer.BreakStream
            : stream < 5 && batch.Seq % 3 == 0 ? HubAnswer.StoreWithoutAck
            : null;

        await RunUntilEmptyAsync(outbox);

        Assert.Equal(Enumerable.Range(1, 20).Select(seq => (NewEpoch, (ulong)seq)), _hub.State.Stores.Keys.Order());
        Assert.All(_hub.State.Stores.Values, writes => Assert.Equal(1, writes));
    }

    [Fact]
    public void NextDelay_ThrottledWithPushback_WaitsAtLeastWhatTheHubAsked()
    {
        using var outbox = OpenOutbox();
        var client = CreateClient(outbox);
        var trailers = new Metadata { { HubClientFailure.PushbackTrailer, "10000" } };

        var throttled = client.NextDelay(HubClientFailure.Classify(new RpcException(new Status(StatusCode.ResourceExhausted, "slow down"), trailers)));
        var refused = client.NextDelay(HubClientFailure.Classify(new RpcException(new Status(StatusCode.PermissionDenied, "revoked"))));
        var transient = client.NextDelay(HubClientFailure.Classify(new RpcException(new Status(StatusCode.Unavailable, "down"))));

        Assert.Equal(TimeSpan.FromSeconds(10), throttled);
        Assert.Equal(TimeSpan.FromSeconds(30), refused);
        Assert.Equal(TimeSpan.Zero, transient);
    }

    private async Task RunUntilEmptyAsync(Outbox outbox)
    {
        using var client = CreateClient(outbox);
        await client.StartAsync(TestTimeout.Token);
        await outbox.WaitEmptyAsync(TestTimeout.Token);
        await client.StopAsync(TestTimeout.Token);
    }

    private Outbox OpenOutbox() =>
        new(1000, BatchSpool.Open(_directory.Path, 1 << 20, 64 << 10, fsync: true, NullLogger.Instance), NullLogger.Instance);

    private HubClient CreateClient(Outbox outbox) => new(
        Options.Create(new AgentOptions { HubUrl = _hub.Url }),
        new HostIdentity("web-01", "machine", "boot", "6.8.0", "1.2.3"),
        new ProcessSourceHolder(null),
        new AgentEpoch(NewEpoch),
        outbox,
        new ReconnectBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), new ZeroRandom()),
        new HubStatistics(),
        _time,
        NullLogger<HubClient>.Instance);

    private static List<(ulong Epoch, ulong Seq)> BatchesOf(List<AgentMessage> stream) =>
        stream.Where(m => m.KindCase == AgentMessage.KindOneofCase.Batch)
            .Select(m => Batch.Parser.ParseFrom(m.Batch))
            .Select(b => (b.Epoch, b.Seq))
            .ToList();
}
