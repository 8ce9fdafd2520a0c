namespace FleetNet.Agent.Spool;

/// <summary>
/// One segment file (<c>{id}.seg</c>, records appended in order) and its release log (<c>{id}.ack</c>,
/// the 8-byte offsets of records the hub acked or the spool set aside). A segment whose records are all
/// released is deleted, unless it is the one being appended to.
/// </summary>
internal sealed class SpoolSegment(string directory, long id) : IDisposable
{
    private FileStream? _acks;

    public long Id => id;

    public string DataPath { get; } = Path.Combine(directory, $"{id:D12}.seg");

    public string AckPath { get; } = Path.Combine(directory, $"{id:D12}.ack");

    /// <summary>Bytes of the segment file.</summary>
    public long Length { get; set; }

    /// <summary>Records not yet released.</summary>
    public int Live { get; set; }

    /// <summary>Appends the offset of a released record to the release log (no fsync: a lost release only costs a duplicate).</summary>
    public void WriteRelease(long offset)
    {
        _acks ??= new FileStream(AckPath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes, offset);
        _acks.Write(bytes);
    }

    /// <summary>The offsets in the release log; a torn last entry is ignored.</summary>
    public HashSet<long> ReadReleases()
    {
        var released = new HashSet<long>();
        if (!File.Exists(AckPath))
        {
            return released;
        }

        var bytes = File.ReadAllBytes(AckPath);
        for (var i = 0; i + 8 <= bytes.Length; i += 8)
        {
            released.Add(System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i)));
        }

        return released;
    }

    public void Delete()
    {
        Dispose();
        File.Delete(DataPath);
        File.Delete(AckPath);
    }

    public void Dispose()
    {
        _acks?.Dispose();
        _acks = null;
    }
}
