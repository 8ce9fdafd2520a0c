namespace FleetNet.Agent.Top;

/// <summary>One (process, remote endpoint) pair's traffic over the interval; Remote "other" sums the rest.</summary>
internal sealed record TopEndpoint(
    uint Pid,
    string Comm,
    string Protocol,
    string Remote,
    uint RemotePort,
    uint LocalPort,
    ulong TxBytes,
    ulong RxBytes,
    uint OtherEndpoints);
