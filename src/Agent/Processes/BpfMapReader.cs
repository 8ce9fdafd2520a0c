using FleetNet.Agent.Interop;

namespace FleetNet.Agent.Processes;

/// <summary>
/// Reads a BPF hash map with batch lookups into buffers reused across snapshots: grown as the map fills
/// (bounded by max_entries), and back to the first size after a burst, once a snapshot needs under a
/// quarter of them.
/// </summary>
internal sealed unsafe class BpfMapReader<TKey, TValue>(int fd, int bufferEntries = BpfMapReader<TKey, TValue>.Chunk)
    where TKey : unmanaged
    where TValue : unmanaged
{
    private const int Chunk = 4096;

    private readonly int _first = bufferEntries;
    private TKey[] _keys = new TKey[bufferEntries];
    private TValue[] _values = new TValue[bufferEntries];

    /// <summary>Receives one buffer-full of a <see cref="Snapshot(ChunkReader)"/>.</summary>
    public delegate void ChunkReader(ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values);

    /// <summary>The map's file descriptor (owned by the BPF object).</summary>
    public int Fd => fd;

    /// <summary>Keys of the last snapshot.</summary>
    public ReadOnlySpan<TKey> Keys => _keys.AsSpan(0, Count);

    /// <summary>Values of the last snapshot, index-aligned with <see cref="Keys"/>.</summary>
    public ReadOnlySpan<TValue> Values => _values.AsSpan(0, Count);

    public int Count { get; private set; }

    /// <summary>Entries the last snapshot read in all (more than <see cref="Count"/> after a chunked one).</summary>
    public int Entries { get; private set; }

    /// <summary>Entries this reader deleted since start (for eviction accounting of LRU maps).</summary>
    public ulong Deleted { get; private set; }

    /// <summary>Copies the whole map; returns the negative errno of a failed batch, else 0.</summary>
    public int Snapshot()
    {
        if (_keys.Length > _first && Count < _keys.Length / 4)
        {
            _keys = new TKey[_first];
            _values = new TValue[_first];
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
        var chunk = (uint)Math.Min(_keys.Length, Chunk);
        while (true)
        {
            if (read is not null && Count > 0 && _keys.Length - Count < chunk)
            {
                Hand(read);
            }

            EnsureCapacity(Count + (int)chunk);
            var count = chunk;
            int ret;
            fixed (TKey* keys = &_keys[Count])
            fixed (TValue* values = &_values[Count])
            {
                ret = Interop.Interop.bpf_map_lookup_batch(fd, first ? null : &inBatch, &outBatch, keys, values, &count, null);
            }

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
    /// Takes out the entry of an exited process, atomically with reading its final value. Only for
    /// exited processes: a live one's BPF program may hold a pointer into the entry and add to it.
    /// </summary>
    public bool TryTake(in TKey key, out TValue value)
    {
        var copy = key;
        value = default;
        fixed (TValue* v = &value)
        {
            var taken = Interop.Interop.bpf_map_lookup_and_delete_elem(fd, &copy, v) == 0;
            Deleted += taken ? 1UL : 0UL;
            return taken;
        }
    }

    /// <summary>Deletes an entry without reading it.</summary>
    public bool TryDelete(in TKey key)
    {
        var copy = key;
        var deleted = Interop.Interop.bpf_map_delete_elem(fd, &copy) == 0;
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
            return Interop.Interop.bpf_map_lookup_elem(fd, &copy, v) == 0;
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

    private void EnsureCapacity(int needed)
    {
        if (_keys.Length < needed)
        {
            var size = Math.Max(needed, _keys.Length * 2);
            Array.Resize(ref _keys, size);
            Array.Resize(ref _values, size);
        }
    }
}
