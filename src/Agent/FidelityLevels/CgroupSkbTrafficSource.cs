using FleetNet.Agent.Interop;
using FleetNet.Agent.Processes;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.FidelityLevels;

/// <summary>
/// Bytes per cgroup (a container, a systemd unit) from cgroup_skb ingress/egress programs attached to
/// the cgroup v2 root, for kernels where per-process hooks are impossible. Samples carry pid 0 and the
/// cgroup. Bytes are IP packet lengths (headers included), calls are packets; TCP retransmissions count.
/// </summary>
internal sealed partial class CgroupSkbTrafficSource : IProcessTrafficSource
{
    private static readonly string[] s_programs = ["fleetnet_cgroup_egress", "fleetnet_cgroup_ingress"];

    private readonly BpfObjectHandle _object;
    private readonly BpfLinkHandle[] _links;
    private readonly BpfMapReader<CgroupKey, CgroupValue> _map;
    private readonly PerCpuCounter _mapFull;
    private readonly CgroupPaths _paths;
    private readonly Dictionary<CgroupKey, CgroupValue> _seen = [];
    private readonly Lock _gate = new();

    private CgroupSkbTrafficSource(BpfLoader.Loaded loaded, CgroupPaths paths)
    {
        _object = loaded.Object;
        _links = loaded.Links;
        _map = new BpfMapReader<CgroupKey, CgroupValue>(loaded.MapFds["fn_cgroup_usage"]);
        _mapFull = new PerCpuCounter(loaded.MapFds["fn_counters"], 4);
        _paths = paths;
    }

    public FleetNet.Protocol.V1.Fidelity Fidelity => FleetNet.Protocol.V1.Fidelity.CgroupSkb;

    public string Mechanism => "cgroups:cgroup_skb";

    public ulong MapFull => _mapFull.Read();

    /// <summary>The cgroup v2 mount the agent uses: the configured one, else the hybrid or the unified layout's.</summary>
    public static string CgroupRoot(AgentOptions options)
    {
        if (options.CgroupRoot.Length > 0)
        {
            return options.CgroupRoot;
        }

        var hybrid = Path.Combine(options.SysRoot, "fs", "cgroup", "unified");
        return Directory.Exists(hybrid) ? hybrid : Path.Combine(options.SysRoot, "fs", "cgroup");
    }

    public static bool TryStart(AgentOptions options, ILoggerFactory loggers, out IProcessTrafficSource? source, out string reason)
    {
        source = null;
        var logger = loggers.CreateLogger<CgroupSkbTrafficSource>();
        if (!BpfPreflight.Check(options, new ProcReader(options.ProcRoot), out reason))
        {
            return false;
        }

        var root = CgroupRoot(options);
        var fd = Interop.Interop.open(root, Interop.Interop.O_RDONLY | Interop.Interop.O_DIRECTORY | Interop.Interop.O_CLOEXEC);
        if (fd < 0)
        {
            reason = "cannot open the cgroup v2 root " + root + ": " + BpfLoader.Errno(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
            return false;
        }

        try
        {
            LibbpfLog.Install(logger);
            var request = new BpfLoader.Request(
                s_programs,
                new Dictionary<string, uint>
                {
                    ["fn_usage"] = 1,
                    ["fn_endpoints"] = 1,
                    ["fn_procs"] = 1,
                    ["fn_cgroup_usage"] = (uint)options.BpfCgroupMapEntries,
                    ["fn_udp_peers"] = 1,
                },
                fd);
            if (!BpfLoader.TryLoad(request, out var loaded, out reason))
            {
                return false;
            }

            source = new CgroupSkbTrafficSource(loaded, new CgroupPaths(root));
            return true;
        }
        finally
        {
            // The links hold the cgroup; the fd was only needed to attach.
            Interop.Interop.close(fd);
        }
    }

    public void Collect(List<ProcessUsage> into)
    {
        lock (_gate)
        {
            _map.Snapshot();
            var keys = _map.Keys;
            var values = _map.Values;
            for (var i = 0; i < keys.Length; i++)
            {
                var key = keys[i];
                var value = values[i];
                _seen.TryGetValue(key, out var previous);
                _seen[key] = value;
                var txPackets = value.TxPackets - previous.TxPackets;
                var rxPackets = value.RxPackets - previous.RxPackets;
                if (txPackets == 0 && rxPackets == 0)
                {
                    continue;
                }

                into.Add(new ProcessUsage(
                    Pid: 0,
                    StartUnixMs: 0,
                    Comm: "",
                    Exe: "",
                    Cmdline: "",
                    Cgroup: _paths.Find(key.CgroupId),
                    CgroupId: key.CgroupId,
                    Uid: 0,
                    Protocol: key.Proto is >= 1 and <= 3 ? (IpProtocol)key.Proto : IpProtocol.Unspecified,
                    TxBytes: value.TxBytes - previous.TxBytes,
                    RxBytes: value.RxBytes - previous.RxBytes,
                    TxCalls: txPackets,
                    RxCalls: rxPackets)
                {
                    Fidelity = FleetNet.Protocol.V1.Fidelity.CgroupSkb,
                });
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
            _map.Dispose();
        }
    }
}
