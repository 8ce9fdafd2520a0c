using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Processes;

/// <summary>Traffic of one process (pid + start time) for one protocol over one collection interval.</summary>
internal sealed record ProcessUsage(
    uint Pid,
    long StartUnixMs,
    string Comm,
    string Exe,
    string Cmdline,
    string Cgroup,
    ulong CgroupId,
    uint Uid,
    IpProtocol Protocol,
    ulong TxBytes,
    ulong RxBytes,
    ulong TxCalls,
    ulong RxCalls)
{
    /// <summary>Inode of the socket's network namespace (0 when the mechanism cannot tell).</summary>
    public ulong Netns { get; init; }

    /// <summary>The pid was alive (not exited) but not visible in the agent's /proc: other pid namespace or hidden.</summary>
    public bool Hidden { get; init; }

    /// <summary>The mechanism that produced this sample.</summary>
    public Fidelity Fidelity { get; init; }
}
