namespace FleetNet.Hub.Query;

/// <summary>A host as the API lists it.</summary>
internal sealed record HostRow(
    string Name,
    string MachineId,
    string Kernel,
    string AgentVersion,
    string Fidelity,
    IReadOnlyList<string> Collectors,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen);
