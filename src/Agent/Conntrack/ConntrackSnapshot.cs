namespace FleetNet.Agent.Conntrack;

/// <summary>One interval's conntrack view: table usage and the flows that moved (or appeared).</summary>
internal sealed record ConntrackSnapshot(
    bool Available,
    string Reason,
    ulong Entries,
    ulong MaxEntries,
    bool Accounting,
    List<ConntrackFlowDelta> Flows)
{
    public static ConntrackSnapshot NotAvailable(string reason) => new(false, reason, 0, 0, false, []);
}
