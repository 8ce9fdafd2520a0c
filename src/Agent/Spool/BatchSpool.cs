using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Spool;

/// <summary>
/// Encoded batches on disk until the hub acks them, modelled on OpenTelemetry .NET's
/// <c>PersistentStorage</c> (max size, retention by release, set-aside): append-only segment files of
/// checksummed records (<see cref="SpoolRecordHeader"/>), written — and fsynced when
/// <c>fsync</c> is on — before the batch is offered to the hub. On open, every segment is scanned: a
/// torn last record (a write cut short by <c>kill -9</c> or power loss) is cut off, a damaged record
/// between intact ones is skipped, both are reported as losses, and everything else not yet released
/// comes back in order. Not thread-safe: the <c>Outbox</c> serialises every call.
/// </summary>
internal sealed partial class BatchSpool : IDisposable
{
    private const string RejectedFolder = "rejected";
    private const int MaxRejectedFiles = 256;

    private readonly string _directory;
    private readonly bool _fsync;
    private readonly ILogger _logger;
    private readonly SortedDictionary<long, SpoolSegment> _segments = [];
    private FileStream? _lock;
    private SpoolSegment? _active;
    private FileStream? _activeStream;
    private long _bytes;

    private BatchSpool(string directory, long maxBytes, long segmentBytes, bool fsync, ILogger logger)
    {
        _directory = directory;
        MaxBytes = maxBytes;
        SegmentBytes = segmentBytes;
        _fsync = fsync;
        _logger = logger;
    }

    /// <summary>The size cap: past it, the oldest segments are dropped.</summary>
    public long MaxBytes { get; }

    /// <summary>A segment is closed and a new one started once it would grow past this.</summary>
    public long SegmentBytes { get; }

    /// <summary>Bytes of all segment files.</summary>
    public long Bytes => _bytes;

    /// <summary>The directory of batches the hub refused for good.</summary>
    public string RejectedDirectory => Path.Combine(_directory, RejectedFolder);

    /// <summary>Unreleased records found on open, oldest first.</summary>
    public List<SpoolRecord> Recovered { get; } = [];

    /// <summary>What open found damaged: torn last records and corrupt ones, each as a loss.</summary>
    public List<SpoolLoss> RecoveryLosses { get; } = [];

    /// <summary>The segment size used for a cap: a sixteenth of it, between 64 KiB and 16 MiB.</summary>
    public static long DefaultSegmentBytes(long maxBytes) => Math.Clamp(maxBytes / 16, 64 << 10, 16 << 20);

    /// <summary>Opens (creating it when absent) the spool in <paramref name="directory"/> and recovers what it holds.</summary>
    public static BatchSpool Open(string directory, long maxBytes, long segmentBytes, bool fsync, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        var spool = new BatchSpool(directory, maxBytes, segmentBytes, fsync, logger);
        try
        {
            // One agent per spool: .NET takes an exclusive flock for FileShare.None, so a second agent
            // pointed at the same directory fails here instead of interleaving records with this one.
            spool._lock = new FileStream(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            spool.Recover();
        }
        catch
        {
            spool.Dispose();
            throw;
        }

        return spool;
    }

    /// <summary>
    /// Appends one record, its payload in two parts written one after the other (<paramref name="tail"/>
    /// may be empty; <see cref="SpoolRecordHeader.PayloadLength"/> is their sum), and makes it durable (per
    /// the fsync policy) before returning.
    /// </summary>
    public SpoolRecord Append(SpoolRecordHeader header, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> tail)
    {
        if (header.PayloadLength != payload.Length + tail.Length)
        {
            throw new ArgumentException($"header says {header.PayloadLength} payload bytes, given {payload.Length + tail.Length}", nameof(header));
        }

        var length = SpoolRecordHeader.Size + header.PayloadLength;
        if (_active is null || _activeStream is null || (_active.Length > 0 && _active.Length + length > SegmentBytes))
        {
            Roll();
        }

        var segment = _active!;
        var stream = _activeStream!;
        var record = new SpoolRecord(segment.Id, segment.Length, header);
        // Header and payload in two writes, not copied into one buffer (a burst's batch is hundreds of KB);
        // a record torn between them fails its CRC on recovery like any other torn write.
        Span<byte> head = stackalloc byte[SpoolRecordHeader.Size];
        header.Write(head, payload, tail);
        stream.Write(head);
        stream.Write(payload);
        stream.Write(tail);
        stream.Flush(flushToDisk: _fsync);
        segment.Length += length;
        segment.Live++;
        _bytes += length;
        return record;
    }

    /// <summary>
    /// Deletes the oldest segments until <paramref name="length"/> more bytes fit under the cap, and
    /// returns their ids so the caller can account for the records they held.
    /// </summary>
    public List<long> MakeRoom(long length)
    {
        var dropped = new List<long>();
        while (_bytes + length > MaxBytes && _bytes > 0)
        {
            var oldest = First();
            if (oldest == _active)
            {
                Roll();
            }

            oldest = First();
            if (oldest == _active)
            {
                break;
            }

            DeleteSegment(oldest!);
            dropped.Add(oldest!.Id);
        }

        return dropped;
    }

    /// <summary>Reads a record's payload back; null when it cannot be read or no longer checks out.</summary>
    public byte[]? Read(in SpoolRecord record)
    {
        if (!_segments.TryGetValue(record.Segment, out var segment))
        {
            return null;
        }

        var bytes = new byte[record.Length];
        try
        {
            using var handle = File.OpenHandle(segment.DataPath);
            if (RandomAccess.Read(handle, bytes, record.Offset) != bytes.Length)
            {
                return null;
            }
        }
        catch (IOException e)
        {
            Log.ReadFailed(_logger, segment.DataPath, record.Offset, e.Message);
            return null;
        }

        return SpoolRecordHeader.TryVerify(bytes, out _) ? bytes[SpoolRecordHeader.Size..] : null;
    }

    /// <summary>Marks a record released (acked, set aside or unreadable); deletes its segment once all are.</summary>
    public void Release(in SpoolRecord record)
    {
        if (!_segments.TryGetValue(record.Segment, out var segment))
        {
            return;
        }

        segment.Live--;
        if (segment.Live <= 0 && segment != _active)
        {
            DeleteSegment(segment);
            return;
        }

        segment.WriteRelease(record.Offset);
    }

    /// <summary>Copies a refused batch into <see cref="RejectedDirectory"/> with the hub's reason, keeping the newest few hundred.</summary>
    public void SetAside(in SpoolRecord record, ReadOnlySpan<byte> payload, string reason)
    {
        try
        {
            var folder = RejectedDirectory;
            Directory.CreateDirectory(folder);
            var name = $"{record.Header.Epoch:D20}-{record.Header.Seq:D20}";
            File.WriteAllBytes(Path.Combine(folder, name + ".batch"), payload.ToArray());
            File.WriteAllText(Path.Combine(folder, name + ".reason"), reason + "\n");
            var files = Directory.GetFiles(folder, "*.batch");
            if (files.Length > MaxRejectedFiles)
            {
                Array.Sort(files, StringComparer.Ordinal);
                for (var i = 0; i < files.Length - MaxRejectedFiles; i++)
                {
                    File.Delete(files[i]);
                    File.Delete(Path.ChangeExtension(files[i], ".reason"));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.SetAsideFailed(_logger, record.Header.Epoch, record.Header.Seq, e.Message);
        }
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _activeStream?.Dispose();
        foreach (var segment in _segments.Values)
        {
            segment.Dispose();
        }
    }

    private SpoolSegment? First()
    {
        foreach (var segment in _segments.Values)
        {
            return segment;
        }

        return null;
    }

    private void Roll()
    {
        _activeStream?.Dispose();
        var id = _segments.Count == 0 ? 1 : _segments.Keys.Max() + 1;
        var previous = _active;
        _active = new SpoolSegment(_directory, id);
        _segments.Add(id, _active);
        _activeStream = new FileStream(_active.DataPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        if (previous is { Live: <= 0 })
        {
            DeleteSegment(previous);
        }
    }

    private void DeleteSegment(SpoolSegment segment)
    {
        _segments.Remove(segment.Id);
        _bytes -= segment.Length;
        try
        {
            segment.Delete();
        }
        catch (IOException e)
        {
            Log.DeleteFailed(_logger, segment.DataPath, e.Message);
        }
    }
}
