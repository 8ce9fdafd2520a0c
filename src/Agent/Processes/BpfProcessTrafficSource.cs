using FleetNet.Agent.Interop;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Processes;

/// <summary>
/// Per-process TCP/UDP bytes from the BTF tracepoints sock_send_length / sock_recv_length
/// (src/Agent/Bpf/fleetnet.bpf.c). The BPF side keeps cumulative counters; each
/// <see cref="Collect"/> reads the whole map and reports what grew.
/// </summary>
internal sealed partial class BpfProcessTrafficSource : IProcessTrafficSource
{
    private readonly BpfObjectHandle _object;
    private readonly BpfLinkHandle[] _links;
    private readonly BpfUsageMap _map;
    private readonly PerCpuCounter _mapFull;
    private readonly ProcessUsageTracker _tracker;
    private readonly ILogger _logger;
    private readonly List<UsageKey> _exited = [];
    private readonly Lock _gate = new();

    private BpfProcessTrafficSource(BpfObjectHandle obj, BpfLinkHandle[] links, int usageFd, int mapFullFd, ProcReader proc, ILogger logger)
    {
        _object = obj;
        _links = links;
        _map = new BpfUsageMap(usageFd);
        _mapFull = new PerCpuCounter(mapFullFd);
        _tracker = new ProcessUsageTracker(proc);
        _logger = logger;
    }

    public Fidelity Fidelity => Fidelity.BtfTracepoint;

    public string Mechanism => "processes:tp_btf";

    public ulong MapFull => _mapFull.Read();

    /// <summary>The map reader, for tests that look at entries directly.</summary>
    internal BpfUsageMap Map => _map;

    /// <summary>
    /// Loads and attaches the programs. Returns false with a one-line reason when this host cannot
    /// run them, so the agent carries on with interfaces only.
    /// </summary>
    public static bool TryStart(AgentOptions options, ILoggerFactory loggers, out IProcessTrafficSource? source, out string reason)
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
        if (!BpfLoader.TryLoad((uint)options.BpfMapEntries, out var loaded, out reason))
        {
            LogUnavailable(logger, reason);
            return false;
        }

        source = new BpfProcessTrafficSource(loaded.Object, loaded.Links, loaded.UsageFd, loaded.MapFullFd, proc, logger);
        LogStarted(logger, options.BpfMapEntries);
        return true;
    }

    public void Collect(List<ProcessUsage> into)
    {
        lock (_gate)
        {
            var error = _map.Snapshot();
            if (error != 0)
            {
                // Keep going with what was read: counters are cumulative, the next snapshot catches up.
                LogSnapshotFailed(_logger, -error);
            }

            _exited.Clear();
            _tracker.Update(_map.Keys, _map.Values, into, _exited);
            foreach (var key in _exited)
            {
                if (_map.TryTake(key, out var final))
                {
                    _tracker.Retire(key, final, into);
                }
                else
                {
                    _tracker.Forget(key);
                }
            }
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
        }
    }
}
