using FleetNet.Agent.Spool;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetNet.Agent.Tests.Spool;

public sealed class BatchSpoolTests : IDisposable
{
    private const ulong Epoch = 11;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Open_AfterAppends_RecoversEveryRecordInOrderWithItsPayload()
    {
        using (var spool = Open())
        {
            for (var seq = 1UL; seq <= 5; seq++)
            {
                Append(spool, seq);
            }
        }

        using var reopened = Open();

        Assert.Empty(reopened.RecoveryLosses);
        Assert.Equal([1UL, 2, 3, 4, 5], reopened.Recovered.ConvertAll(r => r.Header.Seq));
        var third = reopened.Recovered[2];
        Assert.Equal(TestBatches.Create(Epoch, 3).ToByteArray(), reopened.Read(third));
        Assert.Equal((TestBatches.Create(Epoch, 3).StartUnixMs, 2u), (third.Header.StartUnixMs, third.Header.Samples));
    }

    [Fact]
    public void Append_PayloadInTwoParts_RecoversOneRecordWithBothPartsInOrder()
    {
        var batch = TestBatches.Create(Epoch, 1).ToByteArray();
        byte[] tail = [0x12, 0x34, 0x56];
        using (var spool = Open())
        {
            spool.Append(new SpoolRecordHeader(Epoch, 1, 0, 0, 2, batch.Length + tail.Length), batch, tail);
            Assert.Throws<ArgumentException>(() => spool.Append(new SpoolRecordHeader(Epoch, 2, 0, 0, 2, batch.Length), batch, tail));
        }

        using var reopened = Open();

        Assert.Empty(reopened.RecoveryLosses);
        Assert.Equal([.. batch, .. tail], reopened.Read(Assert.Single(reopened.Recovered))!);
    }

    [Fact]
    public void Open_AfterReleases_RecoversOnlyUnreleased()
    {
        using (var spool = Open())
        {
            var records = new List<SpoolRecord>();
            for (var seq = 1UL; seq <= 4; seq++)
            {
                records.Add(Append(spool, seq));
            }

            spool.Release(records[0]);
            spool.Release(records[2]);
        }

        using var reopened = Open();

        Assert.Equal([2UL, 4], reopened.Recovered.ConvertAll(r => r.Header.Seq));
    }

    [Fact]
    public void Release_EverythingInClosedSegments_DeletesTheirFiles()
    {
        using var spool = Open(segmentBytes: 1024);
        var records = new List<SpoolRecord>();
        for (var seq = 1UL; seq <= 60; seq++)
        {
            records.Add(Append(spool, seq));
        }

        var segmentsBefore = Directory.GetFiles(_directory.Path, "*.seg").Length;
        foreach (var record in records)
        {
            spool.Release(record);
        }

        Assert.True(segmentsBefore > 3);
        Assert.Single(Directory.GetFiles(_directory.Path, "*.seg"));
        Assert.True(spool.Bytes <= 1024);
    }

    [Fact]
    public void Open_LastRecordTornAtEveryOffset_ReplaysEverythingBeforeAndReportsOneLoss()
    {
        using (var spool = Open())
        {
            for (var seq = 1UL; seq <= 4; seq++)
            {
                Append(spool, seq);
            }
        }

        var path = Directory.GetFiles(_directory.Path, "*.seg").Single();
        var whole = File.ReadAllBytes(path);
        using (var probe = Open())
        {
            Assert.Equal(4, probe.Recovered.Count);
        }

        var lastOffset = (int)ScanOffsets(whole)[3];
        for (var cut = lastOffset; cut < whole.Length; cut++)
        {
            File.WriteAllBytes(path, whole[..cut]);
            foreach (var ack in Directory.GetFiles(_directory.Path, "*.ack"))
            {
                File.Delete(ack);
            }

            using var spool = Open();

            Assert.Equal([1UL, 2, 3], spool.Recovered.ConvertAll(r => r.Header.Seq));
            Assert.Equal(cut == lastOffset ? 0 : 1, spool.RecoveryLosses.Count);
            Assert.Equal(lastOffset, new FileInfo(path).Length);
        }
    }

    [Fact]
    public void Open_CorruptRecordInTheMiddle_SkipsItCountsItOnceAndReplaysTheRest()
    {
        using (var spool = Open())
        {
            for (var seq = 1UL; seq <= 5; seq++)
            {
                Append(spool, seq);
            }
        }

        var path = Directory.GetFiles(_directory.Path, "*.seg").Single();
        var bytes = File.ReadAllBytes(path);
        var offsets = ScanOffsets(bytes);
        bytes[(int)offsets[2] + SpoolRecordHeader.Size + 3] ^= 0x5A;
        File.WriteAllBytes(path, bytes);

        using (var spool = Open())
        {
            Assert.Equal([1UL, 2, 4, 5], spool.Recovered.ConvertAll(r => r.Header.Seq));
            var loss = Assert.Single(spool.RecoveryLosses);
            Assert.Equal((1UL, "spool record corrupt"), (loss.Batches, loss.Reason));
        }

        using var again = Open();
        Assert.Equal(4, again.Recovered.Count);
        Assert.Empty(again.RecoveryLosses);
    }

    [Fact]
    public void Open_CorruptLengthField_ResynchronisesOnTheNextRecord()
    {
        using (var spool = Open())
        {
            for (var seq = 1UL; seq <= 3; seq++)
            {
                Append(spool, seq);
            }
        }

        var path = Directory.GetFiles(_directory.Path, "*.seg").Single();
        var bytes = File.ReadAllBytes(path);
        var offsets = ScanOffsets(bytes);
        bytes[(int)offsets[0] + 4] = 0xFF;
        File.WriteAllBytes(path, bytes);

        using var reopened = Open();

        Assert.Equal([2UL, 3], reopened.Recovered.ConvertAll(r => r.Header.Seq));
        Assert.Single(reopened.RecoveryLosses);
    }

    [Fact]
    public void MakeRoom_CapReached_DeletesOldestSegmentsOnly()
    {
        using var spool = Open(maxBytes: 4096, segmentBytes: 1024);
        var records = new List<SpoolRecord>();
        for (var seq = 1UL; seq <= 30; seq++)
        {
            var length = SpoolRecordHeader.Size + TestBatches.Create(Epoch, seq).CalculateSize();
            var dropped = spool.MakeRoom(length);
            records.RemoveAll(r => dropped.Contains(r.Segment));
            records.Add(Append(spool, seq));
            Assert.True(spool.Bytes <= 4096);
        }

        Assert.Equal(30UL, records[^1].Header.Seq);
        // What is left is a contiguous tail of the newest batches.
        Assert.Equal(Enumerable.Range(31 - records.Count, records.Count).Select(i => (ulong)i), records.Select(r => r.Header.Seq));
    }

    [Fact]
    public void Open_DirectoryInUseByAnotherSpool_Throws()
    {
        using var first = Open();

        Assert.Throws<IOException>(() => Open());
    }

    [Fact]
    public void SetAside_RefusedBatch_LandsInRejectedFolderWithReason()
    {
        using var spool = Open();
        var record = Append(spool, 9);

        spool.SetAside(record, spool.Read(record), "string table entry 0 must be empty");

        var name = $"{Epoch:D20}-{9:D20}";
        Assert.Equal(TestBatches.Create(Epoch, 9).ToByteArray(), File.ReadAllBytes(Path.Combine(spool.RejectedDirectory, name + ".batch")));
        Assert.Contains("entry 0 must be empty", File.ReadAllText(Path.Combine(spool.RejectedDirectory, name + ".reason")));
    }

    private BatchSpool Open(long maxBytes = 1 << 20, long segmentBytes = 64 << 10) =>
        BatchSpool.Open(_directory.Path, maxBytes, segmentBytes, fsync: false, NullLogger.Instance);

    private static SpoolRecord Append(BatchSpool spool, ulong seq)
    {
        var batch = TestBatches.Create(Epoch, seq);
        var payload = batch.ToByteArray();
        return spool.Append(new SpoolRecordHeader(Epoch, seq, batch.StartUnixMs, batch.EndUnixMs, (uint)batch.Interfaces.Count, payload.Length), payload, []);
    }

    private static List<long> ScanOffsets(byte[] segment) => SpoolSegmentScan.Scan(1, segment).Records.ConvertAll(r => r.Offset);
}
