using System.Buffers.Binary;

namespace FleetNet.Agent.Conntrack;

/// <summary>
/// Parses the replies to a ctnetlink dump: a pure function over received bytes (one recv buffer of
/// whole netlink messages). A malformed message is counted and skipped; a truncated buffer stops at the
/// damage; every well-formed entry before and after it is kept. Netlink headers are host byte order
/// (little-endian here), ctnetlink attribute values network byte order.
/// </summary>
internal static class CtNetlinkParser
{
    /// <summary>Appends the entries found in <paramref name="data"/> and says whether the dump ended.</summary>
    public static CtNetlinkParseResult Parse(ReadOnlySpan<byte> data, List<ConntrackEntry> into)
    {
        var result = new CtNetlinkParseResult();
        while (data.Length >= CtNetlink.HeaderLength)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data);
            if (length < CtNetlink.HeaderLength || length > (uint)data.Length)
            {
                result.Malformed++;
                result.Truncated = true;
                return result;
            }

            var type = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
            var payload = data[CtNetlink.HeaderLength..(int)length];
            data = data[Math.Min(Align(length), data.Length)..];
            result.Messages++;
            if ((flags & CtNetlink.NlmFDumpIntr) != 0)
            {
                result.Interrupted = true;
            }

            switch (type)
            {
                case CtNetlink.NlmsgDone:
                    result.Done = true;
                    return result;
                case CtNetlink.NlmsgError:
                    // struct nlmsgerr: int error (negative errno, 0 = ack), then the offending header.
                    result.Error = payload.Length >= 4 ? -BinaryPrimitives.ReadInt32LittleEndian(payload) : 0;
                    result.Done = true;
                    if (payload.Length < 4)
                    {
                        result.Malformed++;
                    }

                    return result;
                case CtNetlink.CtNew:
                    if (TryParseEntry(payload, out var entry))
                    {
                        into.Add(entry);
                    }
                    else
                    {
                        result.Malformed++;
                    }

                    break;
                default:
                    break; // other messages (e.g. NLMSG_NOOP) carry no flows
            }
        }

        if (data.Length > 0)
        {
            result.Malformed++;
            result.Truncated = true;
        }

        return result;
    }

    internal static bool TryParseEntry(ReadOnlySpan<byte> payload, out ConntrackEntry entry)
    {
        entry = null!;
        if (payload.Length < CtNetlink.NfGenLength)
        {
            return false;
        }

        var family = payload[0];
        Tuple orig = default, reply = default;
        Counters origCounters = default, replyCounters = default;
        uint id = 0, mark = 0, status = 0;
        ushort zone = 0;
        var hasOrig = false;
        var attributes = payload[CtNetlink.NfGenLength..];
        while (TryNextAttribute(ref attributes, out var type, out var value, out var bad))
        {
            switch (type)
            {
                case CtNetlink.CtaTupleOrig:
                    if (!TryParseTuple(value, out orig))
                    {
                        return false;
                    }

                    hasOrig = true;
                    break;
                case CtNetlink.CtaTupleReply:
                    if (!TryParseTuple(value, out reply))
                    {
                        return false;
                    }

                    break;
                case CtNetlink.CtaCountersOrig:
                    if (!TryParseCounters(value, out origCounters))
                    {
                        return false;
                    }

                    break;
                case CtNetlink.CtaCountersReply:
                    if (!TryParseCounters(value, out replyCounters))
                    {
                        return false;
                    }

                    break;
                case CtNetlink.CtaId when value.Length >= 4:
                    id = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case CtNetlink.CtaMark when value.Length >= 4:
                    mark = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case CtNetlink.CtaStatus when value.Length >= 4:
                    status = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case CtNetlink.CtaZone when value.Length >= 2:
                    zone = BinaryPrimitives.ReadUInt16BigEndian(value);
                    break;
            }

            if (bad)
            {
                return false;
            }
        }

        if (attributes.Length != 0 || !hasOrig)
        {
            return false;
        }

        entry = new ConntrackEntry(
            id, family, orig.Protocol,
            orig.Src!, orig.Dst!, orig.SrcPort, orig.DstPort,
            reply.Src ?? [], reply.Dst ?? [], reply.SrcPort, reply.DstPort,
            origCounters.Packets, origCounters.Bytes, replyCounters.Packets, replyCounters.Bytes,
            origCounters.Present || replyCounters.Present, zone, mark, status);
        return true;
    }

    private static bool TryParseTuple(ReadOnlySpan<byte> data, out Tuple tuple)
    {
        tuple = default;
        while (TryNextAttribute(ref data, out var type, out var value, out var bad))
        {
            if (type == CtNetlink.CtaTupleIp)
            {
                while (TryNextAttribute(ref value, out var ipType, out var address, out var badIp))
                {
                    var expected = ipType is CtNetlink.CtaIpV4Src or CtNetlink.CtaIpV4Dst ? 4 : 16;
                    if (ipType is < CtNetlink.CtaIpV4Src or > CtNetlink.CtaIpV6Dst)
                    {
                        continue;
                    }

                    if (address.Length != expected || badIp)
                    {
                        return false;
                    }

                    if (ipType is CtNetlink.CtaIpV4Src or CtNetlink.CtaIpV6Src)
                    {
                        tuple.Src = address.ToArray();
                    }
                    else
                    {
                        tuple.Dst = address.ToArray();
                    }
                }

                if (value.Length != 0)
                {
                    return false;
                }
            }
            else if (type == CtNetlink.CtaTupleProto)
            {
                while (TryNextAttribute(ref value, out var protoType, out var field, out var badProto))
                {
                    if (badProto)
                    {
                        return false;
                    }

                    switch (protoType)
                    {
                        case CtNetlink.CtaProtoNum when field.Length >= 1:
                            tuple.Protocol = field[0];
                            break;
                        case CtNetlink.CtaProtoSrcPort when field.Length >= 2:
                            tuple.SrcPort = BinaryPrimitives.ReadUInt16BigEndian(field);
                            break;
                        case CtNetlink.CtaProtoDstPort when field.Length >= 2:
                            tuple.DstPort = BinaryPrimitives.ReadUInt16BigEndian(field);
                            break;
                    }
                }

                if (value.Length != 0)
                {
                    return false;
                }
            }

            if (bad)
            {
                return false;
            }
        }

        return data.Length == 0 && tuple.Src is not null && tuple.Dst is not null;
    }

    private static bool TryParseCounters(ReadOnlySpan<byte> data, out Counters counters)
    {
        counters = new Counters { Present = true };
        while (TryNextAttribute(ref data, out var type, out var value, out var bad))
        {
            if (bad)
            {
                return false;
            }

            switch (type)
            {
                case CtNetlink.CtaCountersPackets when value.Length >= 8:
                    counters.Packets = BinaryPrimitives.ReadUInt64BigEndian(value);
                    break;
                case CtNetlink.CtaCountersBytes when value.Length >= 8:
                    counters.Bytes = BinaryPrimitives.ReadUInt64BigEndian(value);
                    break;
                case CtNetlink.CtaCounters32Packets when value.Length >= 4:
                    counters.Packets = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case CtNetlink.CtaCounters32Bytes when value.Length >= 4:
                    counters.Bytes = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
            }
        }

        return data.Length == 0;
    }

    /// <summary>
    /// Takes the next attribute off <paramref name="data"/>. False at the end, or (with data left) when the
    /// next header is damaged; <paramref name="bad"/> marks an attribute whose length ran past the data.
    /// </summary>
    private static bool TryNextAttribute(ref ReadOnlySpan<byte> data, out ushort type, out ReadOnlySpan<byte> value, out bool bad)
    {
        type = 0;
        value = default;
        bad = false;
        if (data.Length < 4)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(data);
        if (length < 4 || length > data.Length)
        {
            return false;
        }

        type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(data[2..]) & CtNetlink.AttrTypeMask);
        value = data[4..length];
        data = data[Math.Min(Align(length), data.Length)..];
        return true;
    }

    private static int Align(uint length) => (int)((length + 3) & ~3u);

    private struct Tuple
    {
        public byte[]? Src;
        public byte[]? Dst;
        public ushort SrcPort;
        public ushort DstPort;
        public byte Protocol;
    }

    private struct Counters
    {
        public ulong Packets;
        public ulong Bytes;
        public bool Present;
    }
}
