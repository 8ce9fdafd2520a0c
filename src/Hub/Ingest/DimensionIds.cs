namespace FleetNet.Hub.Ingest;

/// <summary>The dimension ids one transaction needs (from the cache or resolved in it).</summary>
internal sealed class DimensionIds
{
    public Dictionary<ProcessKey, long> Processes { get; } = [];

    /// <summary>Processes whose row has no metadata yet (only endpoint samples named them): kept out of the cache.</summary>
    public HashSet<ProcessKey> UndescribedProcesses { get; } = [];

    public Dictionary<CgroupKey, long> Cgroups { get; } = [];

    public Dictionary<InterfaceKey, long> Interfaces { get; } = [];

    public Dictionary<EndpointKey, long> Endpoints { get; } = [];
}
