namespace FleetNet.Agent.Conntrack;

/// <summary>A flow and what its counters moved by over the interval.</summary>
internal sealed record ConntrackFlowDelta(
    ConntrackEntry Entry, ulong OrigPackets, ulong OrigBytes, ulong ReplyPackets, ulong ReplyBytes)
{
    public ulong Bytes => OrigBytes + ReplyBytes;
}
