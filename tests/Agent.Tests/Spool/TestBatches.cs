using FleetNet.Agent.Pipeline;
using FleetNet.Protocol.V1;
using Google.Protobuf;

namespace FleetNet.Agent.Tests.Spool;

/// <summary>Real encoded batches with a known identity, time range and sample count.</summary>
internal static class TestBatches
{
    public const long StartMs = 1_764_072_000_000;

    public static Batch Create(ulong epoch, ulong seq, int samples = 2)
    {
        var batch = new Batch
        {
            Epoch = epoch,
            Seq = seq,
            StartUnixMs = StartMs + ((long)seq * 10_000),
            EndUnixMs = StartMs + ((long)(seq + 1) * 10_000),
            Strings = { "", "eth0" },
        };
        for (var i = 0; i < samples; i++)
        {
            batch.Interfaces.Add(new InterfaceSample { Name = 1, OffsetMs = 10_000, IntervalMs = 10_000, RxBytes = seq * 100 + (ulong)i });
        }

        return batch;
    }

    public static OutboxEntry Entry(ulong epoch, ulong seq, int samples = 2) =>
        new(seq, Create(epoch, seq, samples).ToByteArray()) { Epoch = epoch };

    public static Batch Decode(OutboxEntry entry) => Batch.Parser.ParseFrom(entry.Payload);

    /// <summary>Every batch the outbox holds, oldest first, without releasing any.</summary>
    public static List<OutboxEntry> Drain(Outbox outbox)
    {
        var entries = new List<OutboxEntry>();
        var position = 0UL;
        while (outbox.TryGetNextAfter(position, out var entry))
        {
            entries.Add(entry);
            position = entry.Position;
        }

        return entries;
    }
}
