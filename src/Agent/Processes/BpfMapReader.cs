using FleetNet.Agent.Interop;

namespace FleetNet.Agent.Processes;

/// <summary>
/// Reads a BPF hash map with batch lookups into buffers reused across snapshots (grown, never shrunk:
/// the map's size is bounded by max_entries).
/// </summary>
internal sealed unsafe class BpfMapReader<TKey, TValue>(int fd)
    where TKey : unmanaged
    where TValue : unmanaged
{
    private const uint Chunk = 4096;

    private TKey[] _keys = new TKey[Chunk];
    private TValue[] _values = new TValue[Chunk];

    /// <summary>The map's file descriptor (owned by the BPF object).</summary>
    public int Fd => fd;

    /// <summary>Keys of the last snapshot.</summary>
    public ReadOnlySpan<TKey> Keys => _keys.AsSpan(0, Count);

    /// <summary>Values of the last snapshot, index-aligned with <see cref="Keys"/>.</summary>
    public ReadOnlySpan<TValue> Values => _values.AsSpan(0, Count);

    public int Count { get; private set; }

    /// <summary>Entries this reader deleted since start (for eviction accounting of LRU maps).</summary>
    public ulong Deleted { get; private set; }

    /// <summary>Copies the whole map; returns the negative errno of a failed batch, else 0.</summary>
    public int Snapshot()
    {
        Count = 0;
        // The batch token of a hash map is a bucket index (u32); 8 bytes leaves room to spare.
        ulong inBatch = 0, outBatch = 0;
        var first = true;
        var chunk = Chunk;
        while (true)
        {
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
                return ret;
            }

            Count += (int)count;
            if (ret == -Interop.Interop.ENOENT)
            {
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
