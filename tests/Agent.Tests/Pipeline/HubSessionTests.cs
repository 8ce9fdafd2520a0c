using FleetNet.Agent.Pipeline;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetNet.Agent.Tests.Pipeline;

public sealed class HubSessionTests
{
    private const ulong Epoch = 42;

    [Fact]
    public async Task RunAsync_MoreQueuedThanWindow_SendsOnlyWindowUntilAnAckFreesASlot()
    {
        var outbox = new Outbox(capacity: 100);
        for (var seq = 1UL; seq <= 40; seq++)
        {
            outbox.Enqueue(Spool.TestBatches.Entry(Epoch, seq));
        }

        var invoker = new FakeIngestCallInvoker();
        using var stop = new CancellationTokenSource();
        var session = new HubSession(outbox, new AgentEpoch(Epoch), new HubStatistics(), NullLogger.Instance);

        var running = session.RunAsync(new Ingest.IngestClient(invoker), new Hello { Epoch = Epoch }, stop.Token);
        Assert.False(running.IsCompleted);
        Assert.Equal(HubSession.MaxInFlight, BatchCount(invoker));

        invoker.Respond(new HubMessage { Ack = new Ack { Epoch = Epoch, Seq = 1 } });
        await WaitUntilAsync(() => outbox.Count == 39);
        await WaitUntilAsync(() => BatchCount(invoker) == HubSession.MaxInFlight + 1);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        Assert.Equal(HubSession.MaxInFlight + 1, BatchCount(invoker));
    }

    private static int BatchCount(FakeIngestCallInvoker invoker)
    {
        lock (invoker.Sent)
        {
            return invoker.Sent.Count(m => m.KindCase == AgentMessage.KindOneofCase.Batch);
        }
    }

    // The ack is handled on another thread; wait for its effect on the outbox rather than for time.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var token = TestTimeout.Token;
        while (!condition())
        {
            await Task.Yield();
            token.ThrowIfCancellationRequested();
        }
    }
}
