using FleetNet.Agent.Conntrack;
using FleetNet.Agent.Endpoints;
using FleetNet.Agent.Hosting;
using FleetNet.Agent.Interfaces;
using FleetNet.Agent.Processes;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Pipeline;

/// <summary>
/// Every <see cref="AgentOptions.IntervalSeconds"/>, collects from every collector, encodes one batch and
/// puts it in the <see cref="Outbox"/>. Takes one last sample on shutdown so the final interval is kept.
/// </summary>
internal sealed partial class Sampler(
    IOptions<AgentOptions> options,
    InterfaceCollector interfaces,
    ProcessSourceHolder processes,
    BatchBuilder builder,
    Outbox outbox,
    TimeProvider time,
    ILogger<Sampler> logger,
    ConntrackCollector? conntrack = null) : BackgroundService
{
    private readonly List<InterfaceUsage> _interfaceUsage = [];
    private readonly List<ProcessUsage> _processUsage = [];
    private readonly List<EndpointUsage> _endpointUsage = [];
    private ulong _evictionsBefore;
    private ulong _lostBefore;
    private long _intervalStartMs;
    private ulong _mapFullBefore;
    private BurstWatch _burst;

    private PeriodicTimer? _timer;

    /// <summary>Takes the baseline and starts the clock before returning, so the first tick measures a whole interval.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Done here rather than in ExecuteAsync, which the host runs on another thread some time later.
        _intervalStartMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        _mapFullBefore = processes.Source?.MapFull ?? 0;
        interfaces.Collect(_interfaceUsage);
        _interfaceUsage.Clear();
        _timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IntervalSeconds), time);
        Log.Started(logger, options.Value.IntervalSeconds);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer ?? throw new InvalidOperationException("The sampler was not started.");
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                SampleOnce();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        SampleOnce();
    }

    /// <summary>Collects the interval that ends now and enqueues its batch.</summary>
    internal void SampleOnce()
    {
        var endMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        _interfaceUsage.Clear();
        _processUsage.Clear();
        _endpointUsage.Clear();
        ulong evictions = 0, lost = 0;
        try
        {
            interfaces.Collect(_interfaceUsage);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.CollectorFailed(logger, "interfaces", e);
        }

        var mapFull = 0UL;
        if (processes.Source is { } source)
        {
            try
            {
                source.Collect(_processUsage);
                var mapFullNow = source.MapFull;
                mapFull = mapFullNow >= _mapFullBefore ? mapFullNow - _mapFullBefore : mapFullNow;
                _mapFullBefore = mapFullNow;
                source.CollectEndpoints(_endpointUsage);
                (evictions, _evictionsBefore) = (source.MapEvictions - Math.Min(source.MapEvictions, _evictionsBefore), Math.Max(source.MapEvictions, _evictionsBefore));
                (lost, _lostBefore) = (source.LostEvents - Math.Min(source.LostEvents, _lostBefore), Math.Max(source.LostEvents, _lostBefore));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.CollectorFailed(logger, source.Mechanism, e);
            }
        }

        ConntrackSnapshot? conntrackSnapshot = null;
        try
        {
            conntrackSnapshot = conntrack?.Collect();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.CollectorFailed(logger, "conntrack", e);
        }

        var drops = new Drops { QueueDropped = outbox.TakeDropped(), MapFull = mapFull, MapEvictions = evictions, LostEvents = lost };
        var payload = builder.Encode(_intervalStartMs, endMs, _interfaceUsage, _processUsage, _endpointUsage, drops, conntrackSnapshot);
        _intervalStartMs = endMs;
        outbox.Enqueue(new OutboxEntry(builder.LastSeq, payload));
        Log.Sampled(logger, builder.LastSeq, _interfaceUsage.Count, _processUsage.Count);
        _burst.GiveBackAfter(_processUsage.Count);
    }
}
