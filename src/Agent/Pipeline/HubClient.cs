using FleetNet.Agent.Hosting;
using FleetNet.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Pipeline;

/// <summary>
/// Keeps one ingest stream open to the hub for the life of the agent and reconnects by itself, with
/// exponential backoff and full jitter, whenever it breaks. Every session re-sends every batch the hub
/// has not acked yet, oldest first; the hub deduplicates by (epoch, seq).
/// </summary>
internal sealed partial class HubClient(
    IOptions<AgentOptions> options,
    HostIdentity identity,
    ProcessSourceHolder processes,
    AgentEpoch epoch,
    Outbox outbox,
    ReconnectBackoff backoff,
    HubStatistics statistics,
    TimeProvider time,
    ILogger<HubClient> logger,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    /// <summary>How long shutdown waits for the hub to ack what is still queued.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private volatile HubSession? _session;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Connect once the host has started, after giving start-up's garbage and code back: OpenSSL (loaded
        // with the hub's CA) and the first handshake then come on top of an agent at rest, not of start-up.
        if (lifetime is not null)
        {
            await WhenStartedAsync(lifetime.ApplicationStarted, stoppingToken).ConfigureAwait(false);
            MemoryGiveBack.Now();
        }

        var hubUrl = options.Value.HubUrl;
        using var channel = HubChannel.Create(hubUrl);
        var client = new Ingest.IngestClient(channel);
        var hello = CreateHello();

        while (!stoppingToken.IsCancellationRequested)
        {
            var session = new HubSession(outbox, epoch, statistics, logger);
            _session = session;
            Exception? error = null;
            try
            {
                Log.Connecting(logger, hubUrl, outbox.Count);
                await session.RunAsync(client, hello, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                error = e;
            }

            if (session.Established)
            {
                backoff.Reset();
            }

            var failure = HubClientFailure.Classify(error);
            var delay = NextDelay(failure);
            if (failure.Kind == HubClientFailureKind.Refused)
            {
                Log.Refused(logger, hubUrl, failure.Reason, delay.TotalSeconds);
            }
            else
            {
                Log.Reconnecting(logger, hubUrl, failure.Reason, delay.TotalSeconds);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Gives the hub a moment to ack the last batches (the sampler stops first) before closing.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_session is { Established: true } && outbox.Count > 0)
        {
            using var timeout = new CancellationTokenSource(DrainTimeout, time);
            using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                await outbox.WaitEmptyAsync(drain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Log.UnsentOnShutdown(logger, outbox.Count);
            }
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WhenStartedAsync(CancellationToken started, CancellationToken stopping)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (started.Register(() => done.TrySetResult()))
        using (stopping.Register(() => done.TrySetResult()))
        {
            await done.Task.ConfigureAwait(false);
        }
    }

    /// <summary>The wait before the next attempt: jittered backoff, no shorter than the hub asked, slow when refused.</summary>
    internal TimeSpan NextDelay(HubClientFailure failure) => failure.Kind switch
    {
        HubClientFailureKind.Refused => backoff.NextSlow(),
        HubClientFailureKind.Throttled => Max(backoff.Next(), failure.Pushback),
        _ => backoff.Next(),
    };

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    internal Hello CreateHello()
    {
        var hello = new Hello
        {
            HostName = identity.HostName,
            MachineId = identity.MachineId,
            BootId = identity.BootId,
            AgentVersion = identity.AgentVersion,
            Kernel = identity.Kernel,
            Fidelity = processes.Fidelity,
            Epoch = epoch.Value,
        };
        hello.Collectors.Add("interfaces");
        if (processes.Source is { } source)
        {
            hello.Collectors.Add(source.Mechanism);
        }

        hello.Labels.Add(options.Value.Labels);
        return hello;
    }
}
