using FleetNet.Agent.Cgroups;
using FleetNet.Agent.Endpoints;
using FleetNet.Agent.Hosting;
using FleetNet.Agent.Interfaces;
using FleetNet.Agent.Processes;
using FleetNet.Agent.Unattributed;

namespace FleetNet.Agent.Top;

/// <summary>
/// <c>fleetnet-agent top</c>: this host's traffic per process, container and remote endpoint, refreshed
/// every interval, with no hub. Uses the same collectors as the agent (same fidelity chain).
/// </summary>
internal sealed class TopCommand(
    TopOptions top,
    ProcessSourceHolder processes,
    InterfaceCollector interfaces,
    CgroupResolver cgroups,
    UnattributedCalculator unattributed,
    HostIdentity host,
    TimeProvider time)
{
    private readonly List<ProcessUsage> _usage = [];
    private readonly List<EndpointUsage> _endpoints = [];
    private readonly List<InterfaceUsage> _interfaceUsage = [];

    private readonly TopJsonWriter _json = new();
    private BurstWatch _burst;

    public async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var source = processes.Source;
        source?.Collect(_usage); // baseline: only what happens from now on is shown
        source?.CollectEndpoints(_endpoints);
        interfaces.Collect(_interfaceUsage);
        var from = time.GetUtcNow();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(top.IntervalSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var to = time.GetUtcNow();
                var snapshot = Take(from, to);
                from = to;
                if (top.Json)
                {
                    _json.Write(output, snapshot);
                }
                else
                {
                    TopRenderer.Write(output, snapshot, clear: !top.Once);
                }

                if (top.Once)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return AgentExitCodes.Ok;
    }

    internal TopSnapshot Take(DateTimeOffset from, DateTimeOffset to)
    {
        _usage.Clear();
        _endpoints.Clear();
        _interfaceUsage.Clear();
        processes.Source?.Collect(_usage);
        processes.Source?.CollectEndpoints(_endpoints);
        interfaces.Collect(_interfaceUsage);
        var seconds = (to - from).TotalSeconds;
        var (rows, containers, endpoints) = TopAggregator.Aggregate(_usage, _endpoints, cgroups, seconds, top.Limit);
        var balance = unattributed.Compute(_interfaceUsage, _usage);
        _burst.GiveBackAfter(_usage.Count);
        return new TopSnapshot(host.HostName, processes.Fidelity.ToString(), from, to, seconds,
            balance.InterfaceRxBytes, balance.InterfaceTxBytes, balance.RxBytes, balance.TxBytes, rows, containers, endpoints);
    }
}
