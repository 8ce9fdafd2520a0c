using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Processes;

/// <summary>A mechanism that attributes traffic to processes (eBPF today; other fidelity levels later).</summary>
internal interface IProcessTrafficSource : IDisposable
{
    /// <summary>The fidelity level this source runs at, reported in Hello.</summary>
    Fidelity Fidelity { get; }

    /// <summary>Short name of the mechanism for the collectors list, e.g. "processes:tp_btf".</summary>
    string Mechanism { get; }

    /// <summary>Appends the traffic seen since the previous call (deltas; nothing twice, nothing lost).</summary>
    void Collect(List<ProcessUsage> into);

    /// <summary>Map updates that failed because the map was full, since start.</summary>
    ulong MapFull { get; }
}
