namespace FleetNet.Agent.Interfaces;

/// <summary>The absolute counters of one interface at one instant, as the kernel reports them.</summary>
internal readonly record struct InterfaceCounters(
    long IfIndex,
    ulong RxBytes,
    ulong TxBytes,
    ulong RxPackets,
    ulong TxPackets,
    ulong RxErrors,
    ulong TxErrors,
    ulong RxDropped,
    ulong TxDropped)
{
    /// <summary>Reads <c>ifindex</c> and <c>statistics/*</c> under one interface directory.</summary>
    public static bool TryRead(string directory, out InterfaceCounters counters)
    {
        counters = default;
        var statistics = Path.Combine(directory, "statistics");
        if (!SysfsValue.TryReadInt64(Path.Combine(directory, "ifindex"), out var ifIndex)
            || !TryStat(statistics, "rx_bytes", out var rxBytes)
            || !TryStat(statistics, "tx_bytes", out var txBytes)
            || !TryStat(statistics, "rx_packets", out var rxPackets)
            || !TryStat(statistics, "tx_packets", out var txPackets)
            || !TryStat(statistics, "rx_errors", out var rxErrors)
            || !TryStat(statistics, "tx_errors", out var txErrors)
            || !TryStat(statistics, "rx_dropped", out var rxDropped)
            || !TryStat(statistics, "tx_dropped", out var txDropped))
        {
            return false;
        }

        counters = new InterfaceCounters(
            ifIndex, rxBytes, txBytes, rxPackets, txPackets, rxErrors, txErrors, rxDropped, txDropped);
        return true;
    }

    /// <summary>Link speed in Mb/s; 0 when unknown (absent, -1, or EINVAL for a link that is down).</summary>
    public static uint ReadSpeed(string directory) =>
        SysfsValue.TryReadInt64(Path.Combine(directory, "speed"), out var speed) && speed > 0 && speed <= uint.MaxValue
            ? (uint)speed
            : 0;

    private static bool TryStat(string statistics, string name, out ulong value) =>
        SysfsValue.TryReadUInt64(Path.Combine(statistics, name), out value);
}
