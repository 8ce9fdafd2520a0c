using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Unattributed;

/// <summary>The wire form of an <see cref="UnattributedUsage"/>.</summary>
internal static class UnattributedBatchWriter
{
    public static UnattributedSample Sample(UnattributedUsage usage, uint intervalMs) => new()
    {
        OffsetMs = intervalMs,
        IntervalMs = intervalMs,
        RxBytes = usage.RxBytes,
        TxBytes = usage.TxBytes,
        InterfaceRxBytes = usage.InterfaceRxBytes,
        InterfaceTxBytes = usage.InterfaceTxBytes,
        AttributedRxBytes = usage.AttributedRxBytes,
        AttributedTxBytes = usage.AttributedTxBytes,
    };
}
