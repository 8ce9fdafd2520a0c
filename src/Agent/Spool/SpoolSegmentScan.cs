namespace FleetNet.Agent.Spool;

/// <summary>
/// What one segment file holds, read back after a restart: its intact records in order, the damaged
/// stretches between them, and where the intact data ends (anything after it is a torn last write).
/// </summary>
internal sealed class SpoolSegmentScan
{
    /// <summary>Every intact record, acked or not, in file order.</summary>
    public List<SpoolRecord> Records { get; } = [];

    /// <summary>Offsets of damaged records followed by an intact one (corruption, not a torn write).</summary>
    public List<long> Corrupt { get; } = [];

    /// <summary>The length of the intact prefix: the file is cut back to it so appends stay readable.</summary>
    public long ValidLength { get; private set; }

    /// <summary>Bytes after <see cref="ValidLength"/>: a record whose write never completed.</summary>
    public long TornBytes { get; private set; }

    /// <summary>Scans <paramref name="data"/>, the whole content of segment <paramref name="segment"/>.</summary>
    public static SpoolSegmentScan Scan(long segment, ReadOnlySpan<byte> data)
    {
        var scan = new SpoolSegmentScan();
        var position = 0;
        while (position < data.Length)
        {
            if (TryRecordAt(data, position, out var header))
            {
                scan.Records.Add(new SpoolRecord(segment, position, header));
                position += SpoolRecordHeader.Size + header.PayloadLength;
                scan.ValidLength = position;
                continue;
            }

            var next = FindNextRecord(data, position + 1);
            if (next < 0)
            {
                break;
            }

            // A bad stretch with an intact record after it was written completely once and damaged later.
            scan.Corrupt.Add(position);
            position = next;
        }

        scan.TornBytes = data.Length - scan.ValidLength;
        return scan;
    }

    private static bool TryRecordAt(ReadOnlySpan<byte> data, int position, out SpoolRecordHeader header)
    {
        header = default;
        var rest = data[position..];
        return SpoolRecordHeader.TryReadFraming(rest, out var length)
            && rest.Length >= SpoolRecordHeader.Size + length
            && SpoolRecordHeader.TryVerify(rest[..(SpoolRecordHeader.Size + length)], out header);
    }

    private static int FindNextRecord(ReadOnlySpan<byte> data, int from)
    {
        ReadOnlySpan<byte> magic = "FNS1"u8;
        while (from < data.Length)
        {
            var index = data[from..].IndexOf(magic);
            if (index < 0)
            {
                return -1;
            }

            if (TryRecordAt(data, from + index, out _))
            {
                return from + index;
            }

            from += index + 1;
        }

        return -1;
    }
}
