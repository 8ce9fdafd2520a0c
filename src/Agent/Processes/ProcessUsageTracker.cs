using FleetNet.Agent.Interop;
using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Processes;

/// <summary>
/// Turns snapshots of the cumulative BPF map into deltas and decides which entries belong to exited
/// processes. Kept apart from the BPF plumbing so it can be tested against fixture /proc trees.
/// Process records from BPF (exec/exit, <see cref="ProcRecord"/>) take precedence over /proc: their
/// exit mark makes the entry final at once, and their exe and uid describe processes /proc no longer
/// (or never) shows.
/// </summary>
internal sealed class ProcessUsageTracker(ProcReader proc, Fidelity fidelity = Fidelity.BtfTracepoint)
{
    private readonly Dictionary<UsageKey, Seen> _seen = [];
    private readonly Dictionary<(uint Pid, ulong StartNs), Described> _processes = [];
    private readonly List<(uint Pid, ulong StartNs)> _exitedProcesses = [];
    private ProcRecords _records = ProcRecords.None;
    private long _generation;
    private long _bootUnixMs = -1;

    /// <summary>Processes whose metadata is cached (for tests and diagnostics).</summary>
    public int CachedProcesses => _processes.Count;

    /// <summary>
    /// Emits what each entry gained since the previous snapshot. Entries of processes BPF marked as
    /// exited, and idle entries whose process /proc no longer shows (when BPF has no record of it), go
    /// to <paramref name="exited"/> for the caller to remove from the map and pass to <see cref="Retire"/>.
    /// </summary>
    public void Update(
        ReadOnlySpan<UsageKey> keys,
        ReadOnlySpan<UsageValue> values,
        List<ProcessUsage> into,
        List<UsageKey> exited,
        ProcRecords? records = null)
    {
        Begin(records);
        Add(keys, values, into, exited);
        End();
    }

    /// <summary>
    /// Starts a snapshot that arrives in parts (<see cref="Add"/>, then <see cref="End"/>). Retiring each
    /// part's exited entries before the next keeps the baselines to the live processes: a burst of
    /// short-lived ones passes through a part at a time instead of being held all at once.
    /// </summary>
    /// <param name="records">The process records of this snapshot.</param>
    /// <param name="newProcesses">Processes created since the previous snapshot, to size the baselines once.</param>
    public void Begin(ProcRecords? records = null, int newProcesses = 0)
    {
        ++_generation;
        _records = records ?? ProcRecords.None;
        _seen.EnsureCapacity(_seen.Count + newProcesses);
    }

    /// <summary>One part of the snapshot begun by <see cref="Begin"/>; see <see cref="Update"/>.</summary>
    public void Add(ReadOnlySpan<UsageKey> keys, ReadOnlySpan<UsageValue> values, List<ProcessUsage> into, List<UsageKey> exited)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            ref readonly var key = ref keys[i];
            var emitted = Emit(key, values[i], _generation, into);
            if (_records.TryGet(new ProcKey { Tgid = key.Tgid, StartNs = key.StartNs }, out var record))
            {
                if (record.Exited)
                {
                    exited.Add(key);
                }
            }
            else if (!emitted && !proc.IsAlive(key.Tgid, key.StartNs))
            {
                exited.Add(key);
            }
        }
    }

    /// <summary>
    /// Ends the snapshot: entries missing from it were removed from the map, so their baselines go, and so
    /// does the metadata of processes retired in it (kept until now: a process's other entries, in later
    /// parts, may still need it).
    /// </summary>
    public void End()
    {
        foreach (var (key, seen) in _seen)
        {
            if (seen.Generation != _generation)
            {
                _seen.Remove(key);
            }
        }

        foreach (var id in _exitedProcesses)
        {
            _processes.Remove(id);
        }

        CollectionTrim.Clear(_exitedProcesses);
        CollectionTrim.Trim(_processes);
        CollectionTrim.Trim(_seen);
    }

    /// <summary>Emits the last delta of an entry taken out of the map (its process has exited) and forgets it.</summary>
    public void Retire(in UsageKey key, in UsageValue finalValue, List<ProcessUsage> into)
    {
        Emit(key, finalValue, _generation, into);
        Forget(key);
    }

    /// <summary>Forgets an entry (and its process's cached metadata) without emitting anything.</summary>
    public void Forget(in UsageKey key)
    {
        _seen.Remove(key);
        _exitedProcesses.Add((key.Tgid, key.StartNs));
    }

    /// <summary>Unix milliseconds of a start time in ns since boot.</summary>
    public long StartUnixMs(ulong startNs) => BootUnixMs() + (long)(startNs / 1_000_000);

    /// <summary>Returns false when the entry gained nothing since the previous snapshot.</summary>
    private bool Emit(in UsageKey key, in UsageValue value, long generation, List<ProcessUsage> into)
    {
        ref var seen = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_seen, key, out var existed);
        var previous = existed ? seen.Value : default;
        seen.Generation = generation;
        seen.Value = value;
        seen.Comm ??= proc.Strings.GetTerminated(value.Comm);

        var txBytes = value.TxBytes - previous.TxBytes;
        var rxBytes = value.RxBytes - previous.RxBytes;
        var txCalls = value.TxCalls - previous.TxCalls;
        var rxCalls = value.RxCalls - previous.RxCalls;
        if (txCalls == 0 && rxCalls == 0)
        {
            return false;
        }

        var described = Describe(key);
        var info = described.Info;
        into.Add(new ProcessUsage(
            Pid: key.Tgid,
            StartUnixMs: StartUnixMs(key.StartNs),
            Comm: seen.Comm,
            Exe: info.Exe.Length > 0 ? info.Exe : described.BpfExe,
            Cmdline: info.Cmdline,
            Cgroup: info.Cgroup,
            CgroupId: key.CgroupId,
            Uid: info.Uid ?? value.Uid,
            Protocol: key.Proto is >= 1 and <= 3 ? (IpProtocol)key.Proto : IpProtocol.Unspecified,
            TxBytes: txBytes,
            RxBytes: rxBytes,
            TxCalls: txCalls,
            RxCalls: rxCalls)
        {
            Netns = key.Netns,
            Hidden = described.Hidden,
            Fidelity = fidelity,
        });
        return true;
    }

    private Described Describe(in UsageKey key)
    {
        var id = (key.Tgid, key.StartNs);
        if (_processes.TryGetValue(id, out var described))
        {
            return described;
        }

        var info = proc.ReadProcess(key.Tgid, key.StartNs);
        if (_records.TryGet(new ProcKey { Tgid = key.Tgid, StartNs = key.StartNs }, out var record))
        {
            // Alive by BPF's account (no exit seen) yet absent from our /proc: another pid namespace, or hidden.
            described = new Described(info, record.Exe, Hidden: !record.Exited && ReferenceEquals(info, ProcessInfo.Unknown));
            if (record.Exited && ReferenceEquals(info, ProcessInfo.Unknown))
            {
                // Gone and reaped (a short-lived process): nothing worth keeping, and the same answer comes
                // again for its other entries; a burst of thousands is not cached.
                return described;
            }
        }
        else
        {
            described = new Described(info, "", Hidden: false);
        }

        _processes[id] = described;
        return described;
    }

    // btime is whole seconds, so start times computed from it agree across agent restarts.
    private long BootUnixMs()
    {
        if (_bootUnixMs < 0 && proc.TryReadBootTimeSeconds(out var btime))
        {
            _bootUnixMs = btime * 1000;
        }

        return Math.Max(_bootUnixMs, 0);
    }

    private readonly record struct Described(ProcessInfo Info, string BpfExe, bool Hidden);

    private struct Seen
    {
        public long Generation;
        public UsageValue Value;
        public string? Comm;
    }
}
