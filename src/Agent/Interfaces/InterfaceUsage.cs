namespace FleetNet.Agent.Interfaces;

/// <summary>One interface's counters over one collection interval (deltas).</summary>
internal sealed record InterfaceUsage(
    string Name,
    ulong RxBytes,
    ulong TxBytes,
    ulong RxPackets,
    ulong TxPackets,
    ulong RxErrors,
    ulong TxErrors,
    ulong RxDropped,
    ulong TxDropped,
    uint SpeedMbps,
    bool Reset);
