using FleetNet.Agent.Pipeline;
using static FleetNet.Agent.Tests.Spool.TestBatches;

namespace FleetNet.Agent.Tests.Pipeline;

public sealed class OutboxTests
{
    private const ulong Epoch = 7;

    [Fact]
    public void Enqueue_PastCapacity_DropsOldestAndCountsOnce()
    {
        var outbox = new Outbox(capacity: 3);

        for (var seq = 1UL; seq <= 5; seq++)
        {
            outbox.Enqueue(Entry(Epoch, seq));
        }

        Assert.Equal(3, outbox.Count);
        Assert.True(outbox.TryGetNextAfter(0, out var oldest));
        Assert.Equal(3UL, oldest.Seq);
        Assert.Equal(2UL, outbox.TakeDropped());
        Assert.Equal(0UL, outbox.TakeDropped());
        Assert.Equal(2UL, outbox.DroppedTotal);
    }

    [Fact]
    public void Enqueue_PastCapacity_NextBatchCarriesGapWithRangeAndSamples()
    {
        var outbox = new Outbox(capacity: 2);
        for (var seq = 1UL; seq <= 4; seq++)
        {
            outbox.Enqueue(Entry(Epoch, seq, samples: 3));
        }

        var batches = Drain(outbox).ConvertAll(Decode);

        // Enqueuing 3 dropped 1, enqueuing 4 dropped 2: each gap rides in the batch whose enqueue caused it.
        Assert.Equal([3UL, 4], batches.ConvertAll(b => b.Seq));
        var gap = Assert.Single(batches[0].Gaps);
        Assert.Equal((1UL, 3UL), (gap.BatchesLost, gap.SamplesLost));
        Assert.Equal((Create(Epoch, 1).StartUnixMs, Create(Epoch, 1).EndUnixMs), (gap.StartUnixMs, gap.EndUnixMs));
        Assert.Equal("agent queue full", batches[0].Strings[(int)gap.Reason]);
        Assert.Equal((4UL, 0UL, 2UL, 6UL), (batches[1].Counters.BatchesSent, batches[1].Counters.BatchesRejected, batches[1].Counters.BatchesLost, batches[1].Counters.SamplesLost));
    }

    [Fact]
    public void Enqueue_EveryBatch_CarriesRunningCountersAndKeepsItsOwnFields()
    {
        var outbox = new Outbox(capacity: 10);
        outbox.Enqueue(Entry(Epoch, 1));
        outbox.Enqueue(Entry(Epoch, 2));
        outbox.Reject(Epoch, 1, "bad");
        outbox.Enqueue(Entry(Epoch, 3));

        var batches = Drain(outbox).ConvertAll(Decode);

        Assert.Equal([(2UL, 0UL), (3UL, 1UL)], batches.ConvertAll(b => (b.Counters.BatchesSent, b.Counters.BatchesRejected)));
        Assert.Equal(Create(Epoch, 3).Interfaces, batches[1].Interfaces);
        Assert.Equal(["", "eth0"], batches[1].Strings);
        Assert.Empty(batches[1].Gaps);
    }

    [Fact]
    public void Remove_AckedEntry_OthersStayInOrder()
    {
        var outbox = new Outbox(capacity: 10);
        outbox.Enqueue(Entry(Epoch, 1));
        outbox.Enqueue(Entry(Epoch, 2));
        outbox.Enqueue(Entry(Epoch, 3));

        Assert.True(outbox.Remove(Epoch, 2));
        Assert.False(outbox.Remove(Epoch, 2));
        Assert.False(outbox.Remove(Epoch + 1, 3));

        Assert.Equal([1UL, 3], Drain(outbox).ConvertAll(e => e.Seq));
    }

    [Fact]
    public void TryGetNextAfter_CursorAlreadyAcked_ReturnsNextHeld()
    {
        var outbox = new Outbox(capacity: 10);
        outbox.Enqueue(Entry(Epoch, 1));
        outbox.Enqueue(Entry(Epoch, 2));
        outbox.Enqueue(Entry(Epoch, 3));
        outbox.Remove(Epoch, 2);

        Assert.True(outbox.TryGetNextAfter(2, out var next));
        Assert.Equal(3UL, next.Seq);
    }

    [Fact]
    public async Task WaitNextAfterAsync_EntryEnqueuedLater_Completes()
    {
        var outbox = new Outbox(capacity: 10);
        outbox.Enqueue(Entry(Epoch, 1));

        var waiting = outbox.WaitNextAfterAsync(1, TestTimeout.Token);
        Assert.False(waiting.IsCompleted);
        outbox.Enqueue(Entry(Epoch, 2));

        Assert.Equal(2UL, (await waiting).Seq);
    }

    [Fact]
    public async Task WaitEmptyAsync_LastEntryRemoved_Completes()
    {
        var outbox = new Outbox(capacity: 10);
        outbox.Enqueue(Entry(Epoch, 1));

        var waiting = outbox.WaitEmptyAsync(TestTimeout.Token);
        Assert.False(waiting.IsCompleted);
        outbox.Remove(Epoch, 1);

        await waiting;
    }
}
