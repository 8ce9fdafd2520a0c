namespace FleetNet.Agent.Top;

/// <summary>One cgroup's traffic (container, pod or systemd unit) over the interval.</summary>
internal sealed record TopContainer(
    string Name,
    string Runtime,
    string ContainerId,
    string PodUid,
    string Unit,
    string Cgroup,
    int Processes,
    ulong TxBytes,
    ulong RxBytes,
    double TxBytesPerSecond,
    double RxBytesPerSecond);
