using FleetNet.Agent.Pipeline;

namespace FleetNet.Agent.Tests.Pipeline;

public sealed class OutboxTests
{
    [Fact]
    public void Enqueue_PastCapacity_DropsOldestAndCountsOnce()
    {
        var outbox = new Outbox(capacity: 3);

        for (var seq = 1UL; seq <= 5; seq++)
        {
            outbox.Enqueue(Entry(seq));
        }

        Assert.Equal(3, outbox.Count);
        Assert.True(outbox.TryGetNextAfter(0, out var oldest));
        Assert.Equal(3UL, oldest.Seq);
        Assert.Equal(2UL, outbox.TakeDropped());
        Assert.Equal(0UL, outbox.TakeDropped());
        Assert.Equal(2UL, outbox.DroppedTotal);
    }

    [Fact]
    public void Remove_AckedEntry_OthersStayInOrder()
    {
        var outbox = new Outbox(capacity: 10);
        outbox.Enqueue(Entry(1));
        outbox.Enqueue(Entry(2));
        outbox.Enqueue(Entry(3));

        Assert.True(outbox.Remove(2));
        Assert.False(outbox.Remove(2));

        Assert.True(outbox.TryGetNextAfter(0, out var first));
        Assert.True(outbox.TryGetNextAfter(first.Seq, out var second));
        Assert.False(outbox.TryGetNextAfter(second.Seq, out _));
        Assert.Equal((1UL, 3UL), (first.Seq, second.Seq));
    }

    [Fact]
    public void TryGetNextAfter_CursorAlreadyAcked_ReturnsNextHeld()
    {
        var outbox = new Outbox(capacity: 10);
        outbox.Enqueue(Entry(1));
        outbox.Enqueue(Entry(2));
        outbox.Enqueue(Entry(3));
        outbox.Remove(2);

        Assert.True(outbox.TryGetNextAfter(2, out var next));
        Assert.Equal(3UL, next.Seq);
    }

    [Fact]
    public async Task WaitNextAfterAsync_EntryEnqueuedLater_Completes()
    {
        var outbox = new Outbox(capacity: 10);
        outbox.Enqueue(Entry(1));

        var waiting = outbox.WaitNextAfterAsync(1, TestTimeout.Token);
        Assert.False(waiting.IsCompleted);
        outbox.Enqueue(Entry(2));

        Assert.Equal(2UL, (await waiting).Seq);
    }

    [Fact]
    public async Task WaitEmptyAsync_LastEntryRemoved_Completes()
    {
        var outbox = new Outbox(capacity: 10);
        outbox.Enqueue(Entry(1));

        var waiting = outbox.WaitEmptyAsync(TestTimeout.Token);
        Assert.False(waiting.IsCompleted);
        outbox.Remove(1);

        await waiting;
    }

    private static OutboxEntry Entry(ulong seq) => new(seq, [(byte)seq]);
}
