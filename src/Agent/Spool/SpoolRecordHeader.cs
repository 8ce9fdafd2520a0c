using System.Buffers.Binary;

namespace FleetNet.Agent.Spool;

/// <summary>
/// The fixed 48-byte header in front of every spooled batch: magic, payload length, CRC-32C over the
/// rest of the header and the payload, then the batch's identity and time range so that the spool can
/// account for a batch (gaps, replays) without decoding it.
/// <code>
/// 0 magic "FNS1" | 4 payload length | 8 crc32c(bytes 12..end of payload) | 12 epoch | 20 seq
/// 28 start unix ms | 36 end unix ms | 44 samples | 48 payload…
/// </code>
/// </summary>
internal readonly record struct SpoolRecordHeader(ulong Epoch, ulong Seq, long StartUnixMs, long EndUnixMs, uint Samples, int PayloadLength)
{
    public const int Size = 48;

    /// <summary>Largest payload the spool accepts (the hub refuses far smaller batches anyway).</summary>
    public const int MaxPayloadLength = 64 << 20;

    private const uint Magic = 0x3153_4E46; // "FNS1" little-endian

    /// <summary>
    /// Writes into <paramref name="destination"/> the header of a payload stored as two parts,
    /// <paramref name="payload"/> then <paramref name="tail"/> (empty for a payload in one part).
    /// </summary>
    public void Write(Span<byte> destination, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> tail)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], PayloadLength);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[12..], Epoch);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[20..], Seq);
        BinaryPrimitives.WriteInt64LittleEndian(destination[28..], StartUnixMs);
        BinaryPrimitives.WriteInt64LittleEndian(destination[36..], EndUnixMs);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[44..], Samples);
        var crc = Crc32C.Append(Crc32C.Append(Crc32C.Append(0, destination[12..Size]), payload), tail);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], crc);
    }

    /// <summary>True when <paramref name="header"/> starts with the magic and a plausible length.</summary>
    public static bool TryReadFraming(ReadOnlySpan<byte> header, out int payloadLength)
    {
        payloadLength = 0;
        if (header.Length < Size || BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
        {
            return false;
        }

        payloadLength = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        return payloadLength is >= 0 and <= MaxPayloadLength;
    }

    /// <summary>Checks the CRC of a whole record (header + payload) and decodes its header.</summary>
    public static bool TryVerify(ReadOnlySpan<byte> record, out SpoolRecordHeader header)
    {
        header = default;
        if (!TryReadFraming(record, out var length) || record.Length != Size + length)
        {
            return false;
        }

        var crc = Crc32C.Append(0, record[12..]);
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(record[8..]))
        {
            return false;
        }

        header = new SpoolRecordHeader(
            BinaryPrimitives.ReadUInt64LittleEndian(record[12..]),
            BinaryPrimitives.ReadUInt64LittleEndian(record[20..]),
            BinaryPrimitives.ReadInt64LittleEndian(record[28..]),
            BinaryPrimitives.ReadInt64LittleEndian(record[36..]),
            BinaryPrimitives.ReadUInt32LittleEndian(record[44..]),
            length);
        return true;
    }
}
