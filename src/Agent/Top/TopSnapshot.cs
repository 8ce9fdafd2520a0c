namespace FleetNet.Agent.Top;

/// <summary>What <c>fleetnet-agent top</c> shows for one interval.</summary>
internal sealed record TopSnapshot(
    string Host,
    string Fidelity,
    DateTimeOffset From,
    DateTimeOffset To,
    double Seconds,
    ulong InterfaceRxBytes,
    ulong InterfaceTxBytes,
    ulong UnattributedRxBytes,
    ulong UnattributedTxBytes,
    List<TopProcess> Processes,
    List<TopContainer> Containers,
    List<TopEndpoint> Endpoints);
