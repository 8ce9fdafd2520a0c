namespace FleetNet.Agent.Top;

/// <summary>One process's traffic over the interval, all protocols summed.</summary>
internal sealed record TopProcess(
    uint Pid,
    long StartUnixMs,
    string Comm,
    string Exe,
    string Cmdline,
    uint Uid,
    string Cgroup,
    string Container,
    string Unit,
    ulong TxBytes,
    ulong RxBytes,
    double TxBytesPerSecond,
    double RxBytesPerSecond,
    ulong TcpBytes,
    ulong UdpBytes,
    ulong OtherBytes,
    bool Hidden);
