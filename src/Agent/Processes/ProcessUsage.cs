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
    ulong RxCalls);
