namespace FleetNet.Agent.Spool;

/// <summary>Where one spooled batch lives: its segment, the offset of its header, and what it holds.</summary>
internal readonly record struct SpoolRecord(long Segment, long Offset, SpoolRecordHeader Header)
{
    /// <summary>Bytes the record takes on disk.</summary>
    public long Length => SpoolRecordHeader.Size + Header.PayloadLength;
}
