using FleetNet.Agent.Endpoints;
using FleetNet.Agent.Interop;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Processes;

/// <summary>
/// Per-process TCP/UDP bytes and remote endpoints from the sock_send_length / sock_recv_length
/// tracepoints (src/Agent/Bpf/fleetnet.bpf.c), attached as BTF tracepoints or as raw tracepoints. The
/// BPF side keeps cumulative counters; each <see cref="Collect"/> batch-reads the maps and reports what
/// grew. Processes BPF saw exit are read one last time and removed: their counters are final. At the BTF
/// level a TCP socket's calls add to counters of its own (fn_socks), which each <see cref="Collect"/> first
/// moves into the maps by running the fleetnet_flush iterator.
/// </summary>
internal sealed unsafe partial class BpfProcessTrafficSource : IProcessTrafficSource
{
    private const int ProcRecordBuffer = 512;

    /// <summary>
    /// Map entries read and handled per part: a part's exited processes are retired before the next part
    /// is read, so a burst of short-lived processes passes through a part at a time, not all at once.
    /// </summary>
    private const int Part = 1024;

    private static readonly string[] s_btfPrograms = ["fleetnet_send", "fleetnet_recv", "fleetnet_exec", "fleetnet_exit", "fleetnet_sock_close", BpfLoader.FlushProgram];
    private static readonly string[] s_rawPrograms = ["fleetnet_send_raw", "fleetnet_recv_raw", "fleetnet_exec_raw", "fleetnet_exit_raw"];
    private static readonly string[] s_udpPeerPrograms = ["fleetnet_cgroup_sendmsg4", "fleetnet_cgroup_sendmsg6", "fleetnet_cgroup_recvmsg4", "fleetnet_cgroup_recvmsg6"];

    private readonly BpfObjectHandle _object;
    private readonly BpfLinkHandle[] _links;
    private readonly BpfMapReader<UsageKey, UsageValue> _map;
    private readonly BpfMapReader<EndpointKey, EndpointValue> _endpoints;
    private readonly BpfMapReader<ProcKey, ProcRecord> _procs;
    private readonly PerCpuCounter _mapFull;
    private readonly PerCpuCounter _endpointInserts;
    private readonly PerCpuCounter _procLost;
    private readonly PerCpuCounter _procInserts;
    private readonly PerCpuCounter _procDeletes;
    private readonly ProcessUsageTracker _tracker;
    private readonly EndpointTracker _endpointTracker = new();
    private readonly EndpointTopK _topK;
    private readonly Func<ulong, long> _startUnixMs;
    private readonly ILogger _logger;
    private readonly List<UsageKey> _exited = [];
    private readonly HashSet<ProcKey> _exitedProcesses = [];
    private readonly ProcRecords _records;
    private readonly BpfMapReader<UsageKey, UsageValue>.ChunkReader _addUsage;
    private readonly BpfMapReader<EndpointKey, EndpointValue>.ChunkReader _addEndpoints;
    private List<ProcessUsage>? _into;
    private ulong _endpointsTaken;
    private readonly List<EndpointUsage> _rawEndpoints = [];
    private readonly List<EndpointUsage> _pendingEndpoints = [];
    private readonly Lock _gate = new();
    private ulong _evictions;
    private ulong _procEvictions;
    private ulong _endpointInsertsBefore;
    private ulong _procInsertsBefore;
    private int _recordsLeft;
    private readonly int _maxProcesses;
    private readonly int _maxEndpoints;
    private readonly int _configFd;
    private int _flushLinkFd;

    private BpfProcessTrafficSource(BpfLoader.Loaded loaded, Fidelity fidelity, AgentOptions options, ProcReader proc, ILogger logger)
    {
        _object = loaded.Object;
        _links = loaded.Links;
        _map = new BpfMapReader<UsageKey, UsageValue>(loaded.MapFds["fn_usage"], Part);
        _endpoints = new BpfMapReader<EndpointKey, EndpointValue>(loaded.MapFds["fn_endpoints"], Part);
        _addUsage = AddUsage;
        _addEndpoints = AddEndpoints;
        // Records are 288 bytes and read a buffer-full at a time (see ProcRecords): a small buffer does.
        _procs = new BpfMapReader<ProcKey, ProcRecord>(loaded.MapFds["fn_procs"], ProcRecordBuffer);
        _records = new ProcRecords(proc.Strings);
        var counters = loaded.MapFds["fn_counters"];
        _mapFull = new PerCpuCounter(counters, 0);
        _endpointInserts = new PerCpuCounter(counters, 1);
        _procInserts = new PerCpuCounter(counters, 2);
        _procLost = new PerCpuCounter(counters, 3);
        _procDeletes = new PerCpuCounter(counters, 5);
        _tracker = new ProcessUsageTracker(proc, fidelity);
        _maxProcesses = options.BpfProcessMapEntries;
        _maxEndpoints = options.BpfEndpointMapEntries;
        _topK = new EndpointTopK(options.EndpointTopK);
        _startUnixMs = _tracker.StartUnixMs;
        _logger = logger;
        Fidelity = fidelity;
        _configFd = loaded.MapFds["fn_config"];
        _flushLinkFd = loaded.FlushLinkFd;
        if (_flushLinkFd >= 0)
        {
            SetSocketCounters(true);
        }
    }

    public Fidelity Fidelity { get; }

    public string Mechanism => Fidelity == Fidelity.RawTracepoint ? "processes:raw_tp" : "processes:tp_btf";

    public ulong MapFull => _mapFull.Read();

    /// <summary>LRU evictions from the endpoint map since start: entries created minus entries the agent deleted minus entries present.</summary>
    public ulong MapEvictions => Volatile.Read(ref _evictions);

    /// <summary>
    /// Process records (the exec / exit / first-traffic events, kept in the fn_procs LRU map rather than a
    /// ring buffer) lost before the agent read them: inserts BPF could not make, plus LRU evictions
    /// (entries created minus entries deleted by BPF or the agent minus entries present).
    /// </summary>
    public ulong LostEvents => _procLost.Read() + Volatile.Read(ref _procEvictions);

    /// <summary>The usage map reader, for tests that look at entries directly.</summary>
    internal BpfMapReader<UsageKey, UsageValue> Map => _map;

    /// <summary>The endpoint map reader, for tests.</summary>
    internal BpfMapReader<EndpointKey, EndpointValue> EndpointMap => _endpoints;

    /// <summary>
    /// Loads and attaches the programs of <paramref name="fidelity"/> (BTF or raw tracepoints). Returns
    /// false with a one-line reason when this host cannot run them.
    /// </summary>
    public static bool TryStart(AgentOptions options, ILoggerFactory loggers, out IProcessTrafficSource? source, out string reason) =>
        TryStart(options, Fidelity.BtfTracepoint, loggers, out source, out reason);

    /// <inheritdoc cref="TryStart(AgentOptions, ILoggerFactory, out IProcessTrafficSource?, out string)"/>
    public static bool TryStart(AgentOptions options, Fidelity fidelity, ILoggerFactory loggers, out IProcessTrafficSource? source, out string reason)
    {
        source = null;
        var logger = loggers.CreateLogger<BpfProcessTrafficSource>();
        var proc = new ProcReader(options.ProcRoot);
        if (!BpfPreflight.Check(options, proc, out reason))
        {
            LogUnavailable(logger, reason);
            return false;
        }

        LibbpfLog.Install(logger);
        var mapEntries = new Dictionary<string, uint>
        {
            ["fn_usage"] = (uint)options.BpfMapEntries,
            ["fn_endpoints"] = (uint)options.BpfEndpointMapEntries,
            ["fn_procs"] = (uint)options.BpfProcessMapEntries,
            ["fn_cgroup_usage"] = 1,
        };
        var programs = fidelity == Fidelity.RawTracepoint ? s_rawPrograms : s_btfPrograms;

        // The UDP peer hooks attach to the cgroup v2 root; without them unconnected UDP peers stay 0.0.0.0:0.
        var cgroupRoot = FidelityLevels.CgroupSkbTrafficSource.CgroupRoot(options);
        var cgroupFd = Interop.Interop.open(cgroupRoot, Interop.Interop.O_RDONLY | Interop.Interop.O_DIRECTORY | Interop.Interop.O_CLOEXEC);
        BpfLoader.Loaded loaded;
        try
        {
            if (!BpfLoader.TryLoad(new BpfLoader.Request(programs, mapEntries, cgroupFd, s_udpPeerPrograms), out loaded, out reason))
            {
                LogUdpPeersUnavailable(logger, reason);
                mapEntries["fn_udp_peers"] = 1;
                if (!BpfLoader.TryLoad(new BpfLoader.Request(programs, mapEntries), out loaded, out reason))
                {
                    LogUnavailable(logger, reason);
                    return false;
                }
            }
        }
        finally
        {
            // The links hold the cgroup; the fd was only needed to attach.
            if (cgroupFd >= 0)
            {
                Interop.Interop.close(cgroupFd);
            }
        }

        foreach (var skipped in loaded.Skipped)
        {
            LogUdpPeersUnavailable(logger, skipped);
        }

        var started = new BpfProcessTrafficSource(loaded, fidelity, options, proc, logger);
        source = started;
        LogStarted(logger, started.Mechanism, options.BpfMapEntries, BpfPreflight.LibbpfVersion());
        return true;
    }

    public void Collect(List<ProcessUsage> into)
    {
        lock (_gate)
        {
            // Inserts are read before the snapshot, so a concurrent insert can only make evictions look smaller, never invented.
            var inserts = _endpointInserts.Read();
            var procInserts = _procInserts.Read();

            // What BPF created since the last collection sizes the tables once, instead of a burst growing
            // them by doubling (each step a fresh large-object array, the previous ones garbage).
            var newProcesses = Created(procInserts, ref _procInsertsBefore, _maxProcesses);
            var newEndpoints = Created(inserts, ref _endpointInsertsBefore, _maxEndpoints);
            Snapshot(_records.Snapshot(_procs, Math.Min(_recordsLeft + newProcesses, _maxProcesses)));

            // After the records: a process they show as exited has sent its last bytes, so once its
            // sockets' counters are moved in, what the maps hold for it is final.
            FlushSockets();
            CountProcessEvictions(procInserts);
            CollectionTrim.Clear(_exitedProcesses);
            _exitedProcesses.EnsureCapacity(newProcesses);
            _into = into;
            _tracker.Begin(_records, newProcesses);
            Snapshot(_map.Snapshot(_addUsage));
            _tracker.End();
            _into = null;
            CollectEndpoints(inserts, newEndpoints);
            _recordsLeft = _procs.Entries;
            foreach (var process in _exitedProcesses)
            {
                _recordsLeft -= _procs.TryDelete(process) ? 1 : 0;
            }

            _records.Clear();
        }
    }

    public void CollectEndpoints(List<EndpointUsage> into)
    {
        lock (_gate)
        {
            into.AddRange(_pendingEndpoints);
            CollectionTrim.Clear(_pendingEndpoints);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var link in _links)
            {
                link.Dispose();
            }

            _object.Dispose();
            _map.Dispose();
            _endpoints.Dispose();
            _procs.Dispose();
        }
    }

    /// <summary>Runs fleetnet_flush over every socket's counters; on failure turns them off (calls then go to the maps).</summary>
    private void FlushSockets()
    {
        if (_flushLinkFd < 0)
        {
            return;
        }

        var fd = Interop.Interop.bpf_iter_create(_flushLinkFd);
        nint read = 0;
        if (fd >= 0)
        {
            // The program writes nothing: reading runs it over every socket and ends at once.
            byte sink;
            do
            {
                read = Interop.Interop.read(fd, &sink, 1);
            }
            while (read > 0);

            Interop.Interop.close(fd);
        }

        if (fd < 0 || read < 0)
        {
            LogSocketFlushFailed(_logger, fd < 0 ? -fd : System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
            SetSocketCounters(false);
            _flushLinkFd = -1;
        }
    }

    /// <summary>On: the agent's network namespace, whose TCP sockets fleetnet_flush iterates, goes to fn_config.</summary>
    private void SetSocketCounters(bool on)
    {
        uint key = 0;
        var value = on ? OwnNetworkNamespace() : 0;
        Interop.Interop.bpf_map_update_elem(_configFd, &key, &value, 0);
    }

    /// <summary>The inode of this process's network namespace ("net:[4026531840]"), 0 when unreadable.</summary>
    private static ulong OwnNetworkNamespace()
    {
        var target = new FileInfo("/proc/self/ns/net").LinkTarget;
        return target is ['n', 'e', 't', ':', '[', .. var inode, ']'] && ulong.TryParse(inode, out var value) ? value : 0;
    }

    private void CollectEndpoints(ulong inserts, int newEndpoints)
    {
        CollectionTrim.Clear(_rawEndpoints);
        _endpointsTaken = 0;
        _endpointTracker.Begin(newEndpoints);
        Snapshot(_endpoints.Snapshot(_addEndpoints));
        _endpointTracker.End();
        var live = (ulong)_endpoints.Entries - _endpointsTaken;
        var evicted = inserts - Math.Min(inserts, _endpoints.Deleted + live);
        if (evicted > _evictions)
        {
            Volatile.Write(ref _evictions, evicted);
        }

        _topK.Reduce(_rawEndpoints, _pendingEndpoints);
        CollectionTrim.Clear(_rawEndpoints);
    }

    // Deletes are read after the snapshot, so a record created and deleted meanwhile can only make evictions look smaller.
    private void CountProcessEvictions(ulong inserts)
    {
        var gone = _procs.Deleted + _procDeletes.Read() + (ulong)_procs.Entries;
        var evicted = inserts - Math.Min(inserts, gone);
        if (evicted > _procEvictions)
        {
            Volatile.Write(ref _procEvictions, evicted);
        }
    }

    /// <summary>
    /// Entries BPF created since the last call, from its cumulative insert counter; never more than the map
    /// holds (<paramref name="mapEntries"/>), whatever the counter says.
    /// </summary>
    private static int Created(ulong inserts, ref ulong before, int mapEntries)
    {
        var created = inserts - Math.Min(inserts, before);
        before = inserts;
        return (int)Math.Min(created, (ulong)Math.Max(mapEntries, 0));
    }

    /// <summary>One part of the usage map: deltas out, then the part's exited processes taken out of the map.</summary>
    private void AddUsage(ReadOnlySpan<UsageKey> keys, ReadOnlySpan<UsageValue> values)
    {
        var into = _into ?? throw new InvalidOperationException("AddUsage outside Collect");
        var first = into.Count;
        CollectionTrim.Clear(_exited);
        _tracker.Add(keys, values, into, _exited);
        foreach (var key in _exited)
        {
            _exitedProcesses.Add(new ProcKey { Tgid = key.Tgid, StartNs = key.StartNs });
            if (_map.TryTake(key, out var final))
            {
                _tracker.Retire(key, final, into);
            }
            else
            {
                _tracker.Forget(key);
            }
        }

        UnflagExitedSinceSnapshot(into, first, keys);
    }

    /// <summary>
    /// One part of the endpoint map: deltas out, then the entries of exited processes, and those idle for
    /// an interval, taken out. Without the latter a long-lived server would keep an entry (and a baseline)
    /// per client port it ever talked to, a port scan 65,536 of them, until the LRU pushed them out; taken,
    /// an endpoint that becomes busy again starts a new entry, counted from zero.
    /// </summary>
    private void AddEndpoints(ReadOnlySpan<EndpointKey> keys, ReadOnlySpan<EndpointValue> values)
    {
        _endpointTracker.Add(keys, values, _startUnixMs, _rawEndpoints);
        foreach (var key in keys)
        {
            var done = _exitedProcesses.Contains(new ProcKey { Tgid = key.Tgid, StartNs = key.StartNs }) || _endpointTracker.IsIdle(key);
            if (done && _endpoints.TryTake(key, out var final))
            {
                _endpointTracker.Retire(key, final, _startUnixMs, _rawEndpoints);
                _endpointsTaken++;
            }
        }
    }

    // A process that exits between the record snapshot and the /proc read looks hidden; its record now says otherwise.
    private void UnflagExitedSinceSnapshot(List<ProcessUsage> into, int first, ReadOnlySpan<UsageKey> keys)
    {
        for (var i = first; i < into.Count; i++)
        {
            var usage = into[i];
            if (usage.Hidden && _procs.TryLookup(ProcKeyOf(usage, keys), out var record) && record.Exited != 0)
            {
                into[i] = usage with { Hidden = false };
            }
        }
    }

    private ProcKey ProcKeyOf(ProcessUsage usage, ReadOnlySpan<UsageKey> keys)
    {
        foreach (var key in keys)
        {
            if (key.Tgid == usage.Pid && _startUnixMs(key.StartNs) == usage.StartUnixMs)
            {
                return new ProcKey { Tgid = key.Tgid, StartNs = key.StartNs };
            }
        }

        return default;
    }

    private void Snapshot(int error)
    {
        if (error != 0)
        {
            // Keep going with what was read: counters are cumulative, the next snapshot catches up.
            LogSnapshotFailed(_logger, -error);
        }
    }
}
