using System.ComponentModel.DataAnnotations;

namespace FleetNet.Agent;

/// <summary>
/// Agent settings, bound from the root of the configuration: the JSON file
/// (<c>/etc/fleetnet/agent.json</c> or <c>--config PATH</c>) and then <c>FLEETNET_*</c> environment
/// variables (e.g. <c>FLEETNET_HUBURL</c>, <c>FLEETNET_INTERVALSECONDS</c>, <c>FLEETNET_LABELS__ROLE</c>).
/// </summary>
internal sealed class AgentOptions
{
    /// <summary>The hub's gRPC endpoint (https by default, as the hub serves it; FLEETNET_HUBCA names a private CA).</summary>
    [Required]
    public string HubUrl { get; set; } = "https://127.0.0.1:5081";

    /// <summary>Seconds between samples (1 to 3600).</summary>
    [Range(1, 3600)]
    public int IntervalSeconds { get; set; } = 10;

    /// <summary>Name this host reports; empty means the kernel's hostname.</summary>
    public string HostName { get; set; } = "";

    /// <summary>Labels for fleet queries, e.g. role, datacenter, environment.</summary>
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>Entries of the per-process BPF counter map; updates past it are counted as map_full.</summary>
    [Range(1024, 4_194_304)]
    public int BpfMapEntries { get; set; } = 65_536;

    /// <summary>Entries of the per-endpoint BPF map (LRU: past it the least recently used entries are evicted and counted).</summary>
    [Range(16, 4_194_304)]
    public int BpfEndpointMapEntries { get; set; } = 65_536;

    /// <summary>Entries of the BPF process-identity map (exe/comm/uid recorded at exec, LRU).</summary>
    [Range(64, 4_194_304)]
    public int BpfProcessMapEntries { get; set; } = 32_768;

    /// <summary>Entries of the per-cgroup BPF counter map used at fidelity cgroup_skb.</summary>
    [Range(16, 1_048_576)]
    public int BpfCgroupMapEntries { get; set; } = 4_096;

    /// <summary>Remote endpoints kept per process and interval; the rest are summed into one "other" sample.</summary>
    [Range(1, 100_000)]
    public int EndpointTopK { get; set; } = 20;

    /// <summary>
    /// How per-process traffic is measured: auto (best the kernel allows), btf_tracepoint, raw_tracepoint,
    /// cgroup_skb, sock_diag or interfaces_only. A forced level that fails leaves the agent at interfaces only.
    /// </summary>
    [AllowedValues("auto", "btf_tracepoint", "raw_tracepoint", "cgroup_skb", "sock_diag", "interfaces_only")]
    public string Fidelity { get; set; } = "auto";

    /// <summary>The cgroup v2 mount the cgroup_skb level attaches to; empty picks /sys/fs/cgroup/unified or /sys/fs/cgroup.</summary>
    public string CgroupRoot { get; set; } = "";

    /// <summary>Batches kept in memory while the hub is unreachable; the oldest are dropped and counted past it.</summary>
    [Range(1, 1_000_000)]
    public int MaxQueuedBatches { get; set; } = 8_640;

    /// <summary>Directory of the on-disk spool of unacked batches (one agent per directory); empty keeps them in memory only.</summary>
    public string SpoolDirectory { get; set; } = "/var/lib/fleetnet-agent/spool";

    /// <summary>Size cap of the spool in bytes (1 MiB to 1 TiB); past it the oldest batches are dropped and reported as a gap.</summary>
    [Range(1L << 20, 1L << 40)]
    public long SpoolMaxBytes { get; set; } = 256L << 20;

    /// <summary>fsync every spooled batch before it is sent (survives power loss); false leaves it to the OS (survives kill -9 only).</summary>
    public bool SpoolFsync { get; set; } = true;

    /// <summary>Where procfs is mounted (tests point this at fixture trees).</summary>
    public string ProcRoot { get; set; } = "/proc";

    /// <summary>Where sysfs is mounted (tests point this at fixture trees).</summary>
    public string SysRoot { get; set; } = "/sys";

    /// <summary>The root under which container runtimes keep their metadata (var/lib/docker, var/lib/containers); tests point this at fixture trees.</summary>
    public string RuntimeRoot { get; set; } = "/";

    /// <summary>Read conntrack flows and table usage over netlink every interval.</summary>
    public bool ConntrackEnabled { get; set; } = true;

    /// <summary>Turn on nf_conntrack_acct at start so conntrack flows carry byte and packet counts.</summary>
    public bool ConntrackEnableAccounting { get; set; }

    /// <summary>Most conntrack flows sent per batch (the busiest by bytes in the interval first).</summary>
    [Range(0, 1_000_000)]
    public int ConntrackMaxFlows { get; set; } = 10_000;
}
