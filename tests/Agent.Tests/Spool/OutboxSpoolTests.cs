using FleetNet.Agent.Pipeline;
using FleetNet.Agent.Spool;
using Microsoft.Extensions.Logging.Abstractions;
using static FleetNet.Agent.Tests.Spool.TestBatches;

namespace FleetNet.Agent.Tests.Spool;

public sealed class OutboxSpoolTests : IDisposable
{
    private const ulong OldEpoch = 100;
    private const ulong NewEpoch = 200;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Restart_UnackedBatchesOfOldEpoch_ComeBackFirstInOrderThenNewOnes()
    {
        using (var before = Open())
        {
            for (var seq = 1UL; seq <= 6; seq++)
            {
                before.Enqueue(Entry(OldEpoch, seq));
            }

            before.Remove(OldEpoch, 1);
            before.Remove(OldEpoch, 2);
            before.Remove(OldEpoch, 4);
        }

        using var after = Open();
        after.Enqueue(Entry(NewEpoch, 1));

        var held = Drain(after);
        Assert.Equal([(OldEpoch, 3UL), (OldEpoch, 5), (OldEpoch, 6), (NewEpoch, 1)], held.ConvertAll(e => (e.Epoch, e.Seq)));
        Assert.Equal([(OldEpoch, 3UL), (OldEpoch, 5), (OldEpoch, 6), (NewEpoch, 1)], held.ConvertAll(e => (Decode(e).Epoch, Decode(e).Seq)));
        Assert.True(after.Remove(OldEpoch, 5));
    }

    [Fact]
    public void Enqueue_SpoolCapReached_DropsOldestAndNextBatchReportsTheGap()
    {
        using var outbox = Open(maxBytes: 8 << 10, segmentBytes: 2 << 10);
        for (var seq = 1UL; seq <= 300; seq++)
        {
            outbox.Enqueue(Entry(OldEpoch, seq, samples: 3));
        }

        var held = Drain(outbox).ConvertAll(Decode);
        var seqs = held.ConvertAll(b => b.Seq);
        Assert.Equal(300UL, seqs[^1]);
        Assert.Equal(Enumerable.Range(301 - seqs.Count, seqs.Count).Select(i => (ulong)i), seqs);

        // Every batch dropped shows up in exactly one gap, with its samples and time range.
        var gaps = held.SelectMany(b => b.Gaps.Select(g => (Gap: g, Reason: b.Strings[(int)g.Reason]))).ToList();
        var lost = (ulong)(300 - seqs.Count);
        Assert.NotEmpty(gaps);
        Assert.All(gaps, g => Assert.Equal("spool full (SpoolMaxBytes)", g.Reason));
        Assert.Equal(lost, outbox.DroppedTotal);
        var lastGap = gaps[^1].Gap;
        Assert.Equal(Create(OldEpoch, seqs[0] - 1).EndUnixMs, lastGap.EndUnixMs);
        Assert.Equal((lost, lost * 3), (held[^1].Counters.BatchesLost, held[^1].Counters.SamplesLost));
        Assert.Equal(300UL, held[^1].Counters.BatchesSent);
        Assert.True(outbox.Count < 300);
    }

    [Fact]
    public void Restart_AfterTornWrite_NextBatchReportsTheTornRecordAsAGap()
    {
        using (var before = Open())
        {
            before.Enqueue(Entry(OldEpoch, 1));
            before.Enqueue(Entry(OldEpoch, 2));
        }

        var path = Directory.GetFiles(_directory.Path, "*.seg").Single();
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^7]);

        using var after = Open();
        after.Enqueue(Entry(NewEpoch, 1));

        var held = Drain(after).ConvertAll(Decode);
        Assert.Equal([(OldEpoch, 1UL), (NewEpoch, 1)], held.ConvertAll(b => (b.Epoch, b.Seq)));
        var gap = Assert.Single(held[1].Gaps);
        Assert.Equal(1UL, gap.BatchesLost);
        Assert.StartsWith("spool record torn", held[1].Strings[(int)gap.Reason]);
        Assert.Equal(1UL, held[1].Counters.BatchesLost);
    }

    [Fact]
    public void Reject_SpooledBatch_IsSetAsideCountedAndNotReplayed()
    {
        using (var before = Open())
        {
            before.Enqueue(Entry(OldEpoch, 1));
            before.Enqueue(Entry(OldEpoch, 2));
            Assert.True(before.Reject(OldEpoch, 1, "batch from the far future"));
            Assert.Equal(1UL, before.Counters.BatchesRejected);
        }

        using var after = Open();

        Assert.Equal([2UL], Drain(after).ConvertAll(e => e.Seq));
        var rejected = Path.Combine(_directory.Path, "rejected");
        Assert.Single(Directory.GetFiles(rejected, "*.batch"));
        Assert.Equal((OldEpoch, 1UL), (Decode(new OutboxEntry(0, File.ReadAllBytes(Directory.GetFiles(rejected, "*.batch")[0]))).Epoch, 1UL));
    }

    [Fact]
    public void TryGetNextAfter_RecordDamagedAfterWrite_SkipsItAndReportsIt()
    {
        using var outbox = Open();
        outbox.Enqueue(Entry(OldEpoch, 1));
        outbox.Enqueue(Entry(OldEpoch, 2));
        var path = Directory.GetFiles(_directory.Path, "*.seg").Single();
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Position = SpoolRecordHeader.Size + 5;
            file.WriteByte(0xEE);
        }

        Assert.Equal([2UL], Drain(outbox).ConvertAll(e => e.Seq));
        outbox.Enqueue(Entry(OldEpoch, 3));
        var third = Decode(Drain(outbox)[^1]);
        Assert.Equal(1UL, Assert.Single(third.Gaps).BatchesLost);
    }

    [Fact]
    public void AgentEpochAfter_ClockBehindSpooledEpoch_StaysAboveIt()
    {
        using (var before = Open())
        {
            before.Enqueue(Entry(OldEpoch, 1));
        }

        using var after = Open();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(50));

        Assert.Equal(OldEpoch, after.RecoveredMaxEpoch);
        Assert.Equal(OldEpoch + 1, AgentEpoch.After(after.RecoveredMaxEpoch, time).Value);
        Assert.Equal(50UL, AgentEpoch.After(0, time).Value);
    }

    private Outbox Open(long maxBytes = 1 << 20, long segmentBytes = 64 << 10) =>
        new(1000, BatchSpool.Open(_directory.Path, maxBytes, segmentBytes, fsync: false, NullLogger.Instance), NullLogger.Instance);
}
