using Google.Protobuf;

namespace FleetNet.Agent.Spool;

/// <summary>
/// What the spool needs to know of an encoded batch without decoding it: identity, time range, how many
/// string-table entries and samples it holds. Reads only the top-level tags.
/// </summary>
internal readonly record struct BatchSummary(ulong Epoch, ulong Seq, long StartUnixMs, long EndUnixMs, int Strings, uint Samples)
{
    /// <summary>Summarises <paramref name="payload"/>; false when it is not a well-formed batch.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out BatchSummary summary)
    {
        summary = default;
        ulong epoch = 0, seq = 0;
        long start = 0, end = 0;
        var strings = 0;
        var samples = 0u;
        try
        {
            var input = new CodedInputStream(payload.ToArray());
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                var wire = WireFormat.GetTagWireType(tag);
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1 when wire == WireFormat.WireType.Varint:
                        epoch = input.ReadUInt64();
                        break;
                    case 2 when wire == WireFormat.WireType.Varint:
                        seq = input.ReadUInt64();
                        break;
                    case 3 when wire == WireFormat.WireType.Varint:
                        start = input.ReadInt64();
                        break;
                    case 4 when wire == WireFormat.WireType.Varint:
                        end = input.ReadInt64();
                        break;
                    case 5:
                        strings++;
                        input.SkipLastField();
                        break;
                    // interfaces, processes, endpoints, conntrack flows, unattributed: one sample each.
                    case 6 or 7 or 10 or 11 or 13:
                        samples++;
                        input.SkipLastField();
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }

        summary = new BatchSummary(epoch, seq, start, end, strings, samples);
        return true;
    }
}
