using FleetNet.Agent.Endpoints;
using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Processes;

/// <summary>A mechanism that attributes traffic to processes (or cgroups): one level of the fidelity chain.</summary>
internal interface IProcessTrafficSource : IDisposable
{
    /// <summary>The fidelity level this source runs at, reported in Hello.</summary>
    Fidelity Fidelity { get; }

    /// <summary>Short name of the mechanism for the collectors list, e.g. "processes:tp_btf".</summary>
    string Mechanism { get; }

    /// <summary>Appends the traffic seen since the previous call (deltas; nothing twice, nothing lost).</summary>
    void Collect(List<ProcessUsage> into);

    /// <summary>Appends the remote endpoints of the interval the last <see cref="Collect"/> closed (top K per process plus "other").</summary>
    void CollectEndpoints(List<EndpointUsage> into)
    {
    }

    /// <summary>Map updates that failed because the map was full, since start.</summary>
    ulong MapFull { get; }

    /// <summary>Entries evicted from LRU maps, since start.</summary>
    ulong MapEvictions => 0;

    /// <summary>Events (process records) the kernel side could not store, since start.</summary>
    ulong LostEvents => 0;
}
