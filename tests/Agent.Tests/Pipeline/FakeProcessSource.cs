using FleetNet.Agent.Processes;
using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Tests.Pipeline;

/// <summary>A process source that hands out whatever the test queued.</summary>
internal sealed class FakeProcessSource : IProcessTrafficSource
{
    public List<ProcessUsage> Pending { get; } = [];

    public Fidelity Fidelity => Fidelity.BtfTracepoint;

    public string Mechanism => "processes:fake";

    public ulong MapFull { get; set; }

    public bool Disposed { get; private set; }

    public void Collect(List<ProcessUsage> into)
    {
        into.AddRange(Pending);
        Pending.Clear();
    }

    public void Dispose() => Disposed = true;
}
