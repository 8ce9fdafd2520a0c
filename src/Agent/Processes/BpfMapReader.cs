using System.Runtime.InteropServices;
using FleetNet.Agent.Interop;

namespace FleetNet.Agent.Processes;

/// <summary>
/// Reads a BPF hash map with batch lookups into buffers reused across snapshots: grown as the map fills
/// (bounded by max_entries), and back to the first size after a burst, once a snapshot needs under a
/// quarter of them. The buffers are native memory, not GC heap: a burst's buffers are hundreds of KB,
/// which the GC would keep committed (large-object heap) until a full collection; freed here, the
/// kernel has them back at once.
/// </summary>
internal sealed unsafe class BpfMapReader<TKey, TValue> : IDisposable
    where TKey : unmanaged
    where TValue : unmanaged
{
    private const int Chunk = 4096;

    private readonly int _fd;
    private readonly int _first;
    private TKey* _keys;
    private TValue* _values;
    private int _capacity;

    public BpfMapReader(int fd, int bufferEntries = Chunk)
    {
        _fd = fd;
        _first = bufferEntries;
        Resize(bufferEntries);
    }

    ~BpfMapReader() => Free();

    /// <summary>Receives one buffer-full of a <see cref="Snapshot(ChunkReader)"/>.</summary>
    public delegate void ChunkReader(ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values);

    /// <summary>The map's file descriptor (owned by the BPF object).</summary>
    public int Fd => _fd;

    /// <summary>Keys of the last snapshot; valid until the next snapshot.</summary>
    public ReadOnlySpan<TKey> Keys => new(_keys, Count);

    /// <summary>Values of the last snapshot, index-aligned with <see cref="Keys"/>.</summary>
    public ReadOnlySpan<TValue> Values => new(_values, Count);

    public int Count { get; private set; }

    /// <summary>Entries the last snapshot read in all (more than <see cref="Count"/> after a chunked one).</summary>
    public int Entries { get; private set; }

    /// <summary>Entries this reader deleted since start (for eviction accounting of LRU maps).</summary>
    public ulong Deleted { get; private set; }

    /// <summary>Copies the whole map; returns the negative errno of a failed batch, else 0.</summary>
    public int Snapshot()
    {
        if (_capacity > _first && Count < _capacity / 4)
        {
            Resize(_first);
        }

        return Read(null);
    }

    /// <summary>
    /// Reads the whole map one buffer-full at a time, handing each part to <paramref name="read"/>, so a
    /// map of large values is never copied whole; for values needed only while the snapshot is taken.
    /// Returns the negative errno of a failed batch (after handing over what was read), else 0.
    /// </summary>
    public int Snapshot(ChunkReader read) => Read(read);

    private int Read(ChunkReader? read)
    {
        Count = 0;
        Entries = 0;
        // The batch token of a hash map is a bucket index (u32); 8 bytes leaves room to spare.
        ulong inBatch = 0, outBatch = 0;
        var first = true;
        var chunk = (uint)Math.Min(_capacity, Chunk);
        while (true)
        {
            if (read is not null && Count > 0 && _capacity - Count < chunk)
            {
                Hand(read);
            }

            EnsureCapacity(Count + (int)chunk);
            var count = chunk;
            var ret = Interop.Interop.bpf_map_lookup_batch(_fd, first ? null : &inBatch, &outBatch, _keys + Count, _values + Count, &count, null);

            // ENOSPC: one bucket holds more entries than fit; retry the same position with room for them.
            if (ret == -Interop.Interop.ENOSPC && count == 0)
            {
                chunk *= 2;
                continue;
            }

            if (ret != 0 && ret != -Interop.Interop.ENOENT)
            {
                Hand(read);
                return ret;
            }

            Count += (int)count;
            if (ret == -Interop.Interop.ENOENT)
            {
                Hand(read);
                return 0;
            }

            inBatch = outBatch;
            first = false;
        }
    }

    /// <summary>
    /// Takes out an entry, atomically with reading its final value. For entries nothing will add to: those
    /// of exited processes, and those idle for a whole interval. A BPF program that looked an entry up just
    /// before it goes still adds to it through its pointer, and those bytes are lost; for an idle entry that
    /// is as unlikely as for the LRU's own evictions, which reuse entries the same way.
    /// </summary>
    public bool TryTake(in TKey key, out TValue value)
    {
        var copy = key;
        value = default;
        fixed (TValue* v = &value)
        {
            var taken = Interop.Interop.bpf_map_lookup_and_delete_elem(_fd, &copy, v) == 0;
            Deleted += taken ? 1UL : 0UL;
            return taken;
        }
    }

    /// <summary>Deletes an entry without reading it.</summary>
    public bool TryDelete(in TKey key)
    {
        var copy = key;
        var deleted = Interop.Interop.bpf_map_delete_elem(_fd, &copy) == 0;
        Deleted += deleted ? 1UL : 0UL;
        return deleted;
    }

    /// <summary>Plain lookup, for tests and diagnostics.</summary>
    public bool TryLookup(in TKey key, out TValue value)
    {
        var copy = key;
        value = default;
        fixed (TValue* v = &value)
        {
            return Interop.Interop.bpf_map_lookup_elem(_fd, &copy, v) == 0;
        }
    }

    /// <summary>Counts the buffer's entries; in a chunked snapshot, hands them over and empties the buffer.</summary>
    private void Hand(ChunkReader? read)
    {
        Entries += Count;
        if (read is not null && Count > 0)
        {
            read(Keys, Values);
            Count = 0;
        }
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void EnsureCapacity(int needed)
    {
        if (_capacity < needed)
        {
            Resize(Math.Max(needed, _capacity * 2));
        }
    }

    /// <summary>Keeps the first <see cref="Count"/> entries (realloc copies them).</summary>
    private void Resize(int entries)
    {
        _keys = (TKey*)NativeMemory.Realloc(_keys, (nuint)entries * (nuint)sizeof(TKey));
        _values = (TValue*)NativeMemory.Realloc(_values, (nuint)entries * (nuint)sizeof(TValue));
        _capacity = entries;
    }

    private void Free()
    {
        NativeMemory.Free(_keys);
        NativeMemory.Free(_values);
        _keys = null;
        _values = null;
        _capacity = 0;
    }
}
