using FleetNet.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Pipeline;

/// <summary>
/// One <c>Ingest.Stream</c> call: Hello, then every batch in the outbox in order with at most
/// <see cref="MaxInFlight"/> unacked, releasing each batch only when its ack arrives. Batches of an
/// earlier epoch (spooled before a restart) go first, on this stream, under this Hello. A batch the hub
/// refuses as invalid is set aside and the stream goes on; any other refusal ends the session with an
/// <see cref="RpcException"/> carrying the ack's status, the caller backs off, reconnects, and a new
/// session sends every batch still held again, from the oldest.
/// </summary>
internal sealed partial class HubSession(Outbox outbox, AgentEpoch epoch, HubStatistics statistics, ILogger logger)
{
    /// <summary>Batches sent and not yet acked on one stream.</summary>
    public const int MaxInFlight = 32;

    private readonly SemaphoreSlim _window = new(MaxInFlight);
    private readonly HashSet<(ulong Epoch, ulong Seq)> _inFlight = [];
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
                _inFlight.Add((entry.Epoch, entry.Seq));
            }

            // The payload is immutable once enqueued, so it is sent as is, never copied or re-encoded.
            var message = new AgentMessage { Batch = UnsafeByteOperations.UnsafeWrap(entry.Payload) };
            await requests.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            cursor = entry.Position;
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
            else if (message.KindCase == HubMessage.KindOneofCase.Ack)
            {
                OnAck(message.Ack);
            }
        }

        Log.HubClosedStream(logger);
    }

    /// <summary>Applies one ack; throws when the hub could not store the batch and the stream should restart.</summary>
    private void OnAck(Ack ack)
    {
        bool wasInFlight;
        lock (_inFlight)
        {
            wasInFlight = _inFlight.Remove((ack.Epoch, ack.Seq));
        }

        if (!wasInFlight)
        {
            Log.AckNotInFlight(logger, ack.Epoch, ack.Seq, epoch.Value);
            return;
        }

        _window.Release();

        if (ack.Code == (int)StatusCode.OK || ack.Duplicate)
        {
            _established = true;
            outbox.Remove(ack.Epoch, ack.Seq);
            if (ack.Duplicate)
            {
                statistics.CountDuplicate();
            }
            else
            {
                statistics.CountStored();
            }

            return;
        }

        if (ack.Code == (int)StatusCode.InvalidArgument)
        {
            // Refused for good: sending it again cannot help and keeping it would replay it on every
            // reconnect. Set it aside (counted, kept on disk for a human) and move on.
            Log.BatchRejected(logger, ack.Epoch, ack.Seq, ack.Message);
            statistics.CountRejected();
            outbox.Reject(ack.Epoch, ack.Seq, ack.Message);
            return;
        }

        _established = false;
        Log.BatchNotStored(logger, ack.Seq, (StatusCode)ack.Code, ack.Message);
        throw new RpcException(new Status((StatusCode)ack.Code, ack.Message), PushbackOf(ack));
    }

    /// <summary>
    /// A throttled ack carries its hint in the message ("… retry after N ms"); it becomes the standard
    /// pushback trailer so the client waits at least that long, as for a throttled stream.
    /// </summary>
    internal static Metadata PushbackOf(Ack ack)
    {
        var trailers = new Metadata();
        const string marker = "retry after ";
        var at = ack.Message.LastIndexOf(marker, StringComparison.Ordinal);
        if (ack.Code == (int)StatusCode.ResourceExhausted && at >= 0)
        {
            var digits = ack.Message.AsSpan(at + marker.Length);
            var end = digits.IndexOfAnyExceptInRange('0', '9');
            digits = end < 0 ? digits : digits[..end];
            if (long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms))
            {
                trailers.Add(HubClientFailure.PushbackTrailer, ms.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return trailers;
    }
}
