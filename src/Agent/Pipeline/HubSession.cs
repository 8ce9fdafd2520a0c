using FleetNet.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Pipeline;

/// <summary>
/// One <c>Ingest.Stream</c> call: Hello, then every batch in the outbox in order with at most
/// <see cref="MaxInFlight"/> unacked, releasing each batch only when its ack arrives. Ends when the
/// stream breaks or the hub says it could not store a batch; the caller reconnects and a new session
/// sends every batch still held again, from the oldest.
/// </summary>
internal sealed partial class HubSession(Outbox outbox, AgentEpoch epoch, HubStatistics statistics, ILogger logger)
{
    /// <summary>Batches sent and not yet acked on one stream.</summary>
    public const int MaxInFlight = 32;

    private readonly SemaphoreSlim _window = new(MaxInFlight);
    private readonly HashSet<ulong> _inFlight = [];
    private volatile bool _established;

    /// <summary>True once the hub has welcomed the agent or stored a batch on this stream.</summary>
    public bool Established => _established;

    public async Task RunAsync(Ingest.IngestClient client, Hello hello, CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = client.Stream(cancellationToken: session.Token);
        statistics.CountSession();
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = hello }, session.Token).ConfigureAwait(false);

        var send = SendAsync(call.RequestStream, session.Token);
        var receive = ReceiveAsync(call.ResponseStream, session.Token);
        var first = await Task.WhenAny(send, receive).ConfigureAwait(false);
        await session.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(send, receive).ConfigureAwait(false);
        }
        catch
        {
            // The other loop fails with the cancellation above; the first one to end says why.
        }

        await first.ConfigureAwait(false);
    }

    private async Task SendAsync(IClientStreamWriter<AgentMessage> requests, CancellationToken cancellationToken)
    {
        var cursor = 0UL;
        while (true)
        {
            await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
            var entry = await outbox.WaitNextAfterAsync(cursor, cancellationToken).ConfigureAwait(false);
            lock (_inFlight)
            {
                _inFlight.Add(entry.Seq);
            }

            // The payload is immutable once enqueued, so it is sent as is, never copied or re-encoded.
            var message = new AgentMessage { Batch = UnsafeByteOperations.UnsafeWrap(entry.Payload) };
            await requests.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            cursor = entry.Seq;
        }
    }

    private async Task ReceiveAsync(IAsyncStreamReader<HubMessage> responses, CancellationToken cancellationToken)
    {
        while (await responses.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var message = responses.Current;
            if (message.KindCase == HubMessage.KindOneofCase.Welcome)
            {
                _established = true;
                Log.Welcomed(logger, message.Welcome.HostId);
            }
            else if (message.KindCase == HubMessage.KindOneofCase.Ack && !OnAck(message.Ack))
            {
                return;
            }
        }

        Log.HubClosedStream(logger);
    }

    /// <summary>Applies one ack; false when the hub could not store the batch and the stream should restart.</summary>
    private bool OnAck(Ack ack)
    {
        if (ack.Epoch != epoch.Value)
        {
            Log.AckForOtherEpoch(logger, ack.Epoch, ack.Seq);
            return true;
        }

        bool wasInFlight;
        lock (_inFlight)
        {
            wasInFlight = _inFlight.Remove(ack.Seq);
        }

        if (wasInFlight)
        {
            _window.Release();
        }

        if (ack.Code == (int)StatusCode.OK || ack.Duplicate)
        {
            _established = true;
            outbox.Remove(ack.Seq);
            if (ack.Duplicate)
            {
                statistics.CountDuplicate();
            }
            else
            {
                statistics.CountStored();
            }

            return true;
        }

        if (ack.Code == (int)StatusCode.InvalidArgument)
        {
            // Refused for good: sending it again cannot help and keeping it would replay it on every
            // reconnect. Drop it and say so once.
            Log.BatchRejected(logger, ack.Seq, ack.Message);
            statistics.CountRejected();
            outbox.Remove(ack.Seq);
            return true;
        }

        _established = false;
        Log.BatchNotStored(logger, ack.Seq, (StatusCode)ack.Code, ack.Message);
        return false;
    }
}
