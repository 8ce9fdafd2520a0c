using FleetNet.Agent.Interop;

namespace FleetNet.Agent.Processes;

/// <summary>
/// The process records of one fn_procs snapshot, by key, reduced to what the tracker uses
/// (<see cref="ProcFacts"/>, the exe taken from <see cref="StringPool"/>). The map is read a buffer-full
/// at a time: a burst of thousands of new processes costs a small entry each, not a copy of every
/// 288-byte record. Not thread-safe; valid until the next snapshot.
/// </summary>
internal sealed class ProcRecords
{
    private readonly Dictionary<ProcKey, ProcFacts> _facts = [];
    private readonly StringPool _strings;
    private readonly BpfMapReader<ProcKey, ProcRecord>.ChunkReader _add;

    public ProcRecords(StringPool strings)
    {
        _strings = strings;
        _add = Add;
    }

    /// <summary>No records (sources without exec/exit tracking, tests).</summary>
    public static ProcRecords None { get; } = new(new StringPool());

    public int Count => _facts.Count;

    /// <summary>
    /// Reads fn_procs through <paramref name="reader"/>, into a table sized for <paramref name="expected"/>
    /// records; returns its error (what was read is kept), else 0.
    /// </summary>
    public int Snapshot(BpfMapReader<ProcKey, ProcRecord> reader, int expected = 0)
    {
        _facts.Clear();
        _facts.EnsureCapacity(expected);
        return reader.Snapshot(_add);
    }

    public bool TryGet(in ProcKey key, out ProcFacts facts) => _facts.TryGetValue(key, out facts);

    /// <summary>
    /// Lets go of the snapshot once it has been used (a burst's records are thousands); the table keeps
    /// its size unless this snapshot needed under a quarter of it.
    /// </summary>
    public void Clear() => CollectionTrim.Clear(_facts, _facts.Count);

    private void Add(ReadOnlySpan<ProcKey> keys, ReadOnlySpan<ProcRecord> values)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            _facts[keys[i]] = new ProcFacts(values[i].Exited != 0, _strings.GetTerminated(values[i].Exe));
        }
    }
}
