using FleetNet.Hub.Agents;
using FleetNet.Hub.Security;
using FleetNet.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;
using Npgsql;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// One stream per agent: Hello binds the stream to its host, then every batch is validated, stored and
/// acked in order. A bad batch is refused on its own; a database failure ends the stream with
/// UNAVAILABLE so the agent backs off and replays what was not acked.
/// </summary>
internal sealed partial class IngestService(
    HostRegistry hosts,
    BatchValidator validator,
    BatchWriter writer,
    DeliveryRecorder delivery,
    AgentAuthenticator authenticator,
    AgentRateLimiter rateLimiter,
    TimeProvider time,
    ILogger<IngestService> logger) : Protocol.V1.Ingest.IngestBase
{
    public override async Task Stream(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<HubMessage> responseStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken))
        {
            return;
        }

        var hello = requestStream.Current.Hello
            ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "the first message of a stream must be Hello"));
        if (HostRegistry.Validate(hello) is { } helloError)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, helloError));
        }

        AgentIdentity? identity;
        try
        {
            identity = await Transient(() => authenticator.AuthenticateAsync(context, hello, context.CancellationToken));
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            LogAgentRefused(hello.HostName, e.Status.Detail);
            throw;
        }

        await using var watch = new RevocationWatch(authenticator, identity, time, context.CancellationToken);
        try
        {
            await RunAsync(hello, requestStream, responseStream, watch.Token);
        }
        catch (Exception e) when (watch.Revoked && e is not RpcException)
        {
            LogAgentRefused(hello.HostName, "identity revoked while streaming");
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"agent identity {identity!.Id} was revoked"));
        }
    }

    private async Task RunAsync(Hello hello, IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<HubMessage> responseStream, CancellationToken cancellationToken)
    {
        var hostId = await Transient(() => hosts.RegisterAsync(hello, cancellationToken));
        LogConnected(hello.HostName, hostId, hello.AgentVersion, hello.Fidelity.Name(), hello.Epoch);
        await responseStream.WriteAsync(new HubMessage { Welcome = new Welcome { HostId = hostId } }, cancellationToken);

        while (await requestStream.MoveNext(cancellationToken))
        {
            var ack = rateLimiter.TryAcquire(hostId, out var retryAfter)
                ? await StoreAsync(hostId, hello, requestStream.Current, cancellationToken)
                : RateLimited(requestStream.Current, retryAfter);
            if (ack.Code == (int)StatusCode.InvalidArgument)
            {
                LogRefused(hello.HostName, ack.Epoch, ack.Seq, ack.Message);
                await Transient(() => delivery.RecordRejectedAsync(hostId, ack.Message, cancellationToken));
            }
            else if (ack.Duplicate)
            {
                await Transient(() => delivery.RecordDuplicateAsync(hostId, cancellationToken));
            }

            await responseStream.WriteAsync(new HubMessage { Ack = ack }, cancellationToken);
        }
    }

    /// <summary>Not stored, not refused for good: the agent keeps the batch and sends it again after the hint.</summary>
    private static Ack RateLimited(AgentMessage message, TimeSpan retryAfter)
    {
        var ack = new Ack
        {
            Code = (int)StatusCode.ResourceExhausted,
            Message = $"rate limit: this agent sends more batches than allowed; retry after {Math.Ceiling(retryAfter.TotalMilliseconds)} ms",
        };
        if (message.KindCase == AgentMessage.KindOneofCase.Batch)
        {
            try
            {
                var batch = Batch.Parser.ParseFrom(message.Batch);
                (ack.Epoch, ack.Seq) = (batch.Epoch, batch.Seq);
            }
            catch (InvalidProtocolBufferException)
            {
            }
        }

        return ack;
    }

    private async Task<Ack> StoreAsync(long hostId, Hello hello, AgentMessage message, CancellationToken cancellationToken)
    {
        if (message.KindCase != AgentMessage.KindOneofCase.Batch)
        {
            return Refused(0, 0, $"expected a batch, got {message.KindCase}");
        }

        Batch batch;
        try
        {
            batch = Batch.Parser.ParseFrom(message.Batch);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Refused(0, 0, $"batch is not a valid encoded Batch: {e.Message}");
        }

        if (validator.Validate(batch, hello.Epoch) is { } error)
        {
            return Refused(batch.Epoch, batch.Seq, error);
        }

        // The batch's AgentCounters are stored by the writer, in the batch's own transaction (EpochCounters).
        await Transient(() => delivery.RecordGapsAsync(hostId, batch, cancellationToken));
        var stored = await Transient(() => writer.WriteAsync(hostId, batch, cancellationToken));
        return new Ack { Epoch = batch.Epoch, Seq = batch.Seq, Code = (int)StatusCode.OK, Duplicate = !stored };
    }

    private static Ack Refused(ulong epoch, ulong seq, string reason) =>
        new() { Epoch = epoch, Seq = seq, Code = (int)StatusCode.InvalidArgument, Message = reason };

    private Task Transient(Func<Task> action) => Transient(async () =>
    {
        await action();
        return true;
    });

    /// <summary>Database trouble is the agent's cue to back off and replay, never a lost batch.</summary>
    private async Task<T> Transient<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or ProcessDimensionRaceException)
        {
            LogDatabaseError(e.Message);
            throw new RpcException(new Status(StatusCode.Unavailable, "the hub cannot store data right now; retry later"));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent connected: host {Host} (id {HostId}), version {Version}, fidelity {Fidelity}, epoch {Epoch}")]
    private partial void LogConnected(string host, long hostId, string version, string fidelity, ulong epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused batch from {Host} (epoch {Epoch}, seq {Seq}): {Reason}")]
    private partial void LogRefused(string host, ulong epoch, ulong seq, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused agent for host {Host}: {Reason}")]
    private partial void LogAgentRefused(string host, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database error during ingest: {Reason}")]
    private partial void LogDatabaseError(string reason);
}
