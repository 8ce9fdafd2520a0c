namespace FleetNet.Agent.Unattributed;

/// <summary>
/// One interval's balance for the host: what the counted interfaces moved, what processes were credited
/// with, and the part of the interface bytes no process explains (never negative).
/// </summary>
internal sealed record UnattributedUsage(
    ulong InterfaceRxBytes,
    ulong InterfaceTxBytes,
    ulong AttributedRxBytes,
    ulong AttributedTxBytes)
{
    public ulong RxBytes => InterfaceRxBytes > AttributedRxBytes ? InterfaceRxBytes - AttributedRxBytes : 0;

    public ulong TxBytes => InterfaceTxBytes > AttributedTxBytes ? InterfaceTxBytes - AttributedTxBytes : 0;
}
