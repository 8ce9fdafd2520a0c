using FleetNet.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace FleetNet.FaultTests;

/// <summary>
/// A thin simulated agent that speaks the real protocol (Enrollment.Enroll, then Ingest.Stream with its
/// secret: Hello, batches, acks) and keeps its own spool: every batch stays until the hub acks it, is
/// replayed in order after any failure (backoff with full jitter), and when the spool is full the oldest
/// batch that never left is dropped and reported in a Gap of the next batch. A batch whose fate is
/// unknown (sent, not acked) is never dropped: it may be stored already, and counting it lost could
/// then make stored + lost exceed sent. Each batch carries <see cref="SamplesPerBatch"/> interface
/// samples with rx_bytes = 1 and a tx_bytes unique in the fleet, so stored samples can be counted and
/// duplicates found in the sample table itself.
/// </summary>
internal sealed class SimAgent(string host, int index, Func<string> hubUrl, int spoolCap)
{
    public const int SamplesPerBatch = 5;

    private readonly LinkedList<Entry> _spool = new();
    private readonly List<byte[]> _history = [];
    private readonly Lock _gate = new();
    private Gap? _pendingGap;
    private ulong _seq;
    private long _lostBatches;
    private long _lostSamples;

    public string Host => host;

    public ulong Epoch { get; } = 1000 + (ulong)index;

    public string? Secret { get; set; }

    public long Produced { get; private set; }

    public long Acked { get; private set; }

    public long AckedDuplicate { get; private set; }

    public long Rejected { get; private set; }

    public long LostBatches => Interlocked.Read(ref _lostBatches);

    public long LostSamples => Interlocked.Read(ref _lostSamples);

    public int Spooled
    {
        get
        {
            lock (_gate)
            {
                return _spool.Count;
            }
        }
    }

    public async Task EnrollAsync(string token)
    {
        using var channel = GrpcChannel.ForAddress(hubUrl());
        Secret = (await new Enrollment.EnrollmentClient(channel).EnrollAsync(new EnrollRequest { Token = token, HostName = host })).Secret;
    }

    /// <summary>Makes one batch of known data ending now and puts it in the spool (dropping the oldest unsent one when full).</summary>
    public void Produce() => Produce(SamplesPerBatch);

    /// <summary>
    /// When production has ended with a loss not yet reported (the outage outlasted it), sends the gap in
    /// an empty batch; called only once the spool is empty, so it drops nothing.
    /// </summary>
    public bool FlushGap()
    {
        lock (_gate)
        {
            if (_pendingGap is null)
            {
                return false;
            }

            Produce(0);
            return true;
        }
    }

    public long ProducedSamples { get; private set; }

    private bool HasPendingGap
    {
        get
        {
            lock (_gate)
            {
                return _pendingGap is not null;
            }
        }
    }

    private void Produce(int samples)
    {
        lock (_gate)
        {
            var seq = ++_seq;
            var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var batch = new Batch { Epoch = Epoch, Seq = seq, StartUnixMs = end - 1000, EndUnixMs = end, Strings = { "" } };
            for (var i = 0; i < samples; i++)
            {
                batch.Strings.Add($"eth{i}");
                batch.Interfaces.Add(new InterfaceSample
                {
                    Name = (uint)i + 1,
                    OffsetMs = 1000,
                    IntervalMs = 1000,
                    RxBytes = 1,
                    TxBytes = (ulong)(((long)index * 1_000_000_000) + ((long)seq * 10) + i),
                });
            }

            Produced++;
            ProducedSamples += samples;
            if (_pendingGap is { } gap)
            {
                batch.Strings.Add("spool full");
                gap.Reason = (uint)batch.Strings.Count - 1;
                batch.Gaps.Add(gap);
                _pendingGap = null;
            }

            batch.Counters = new AgentCounters
            {
                BatchesSent = (ulong)Produced,
                BatchesRejected = (ulong)Rejected,
                BatchesLost = (ulong)LostBatches,
                SamplesLost = (ulong)LostSamples,
            };
            if (_spool.Count >= spoolCap)
            {
                DropOldestUnsent();
            }

            var payload = batch.ToByteArray();
            _history.Add(payload);
            _spool.AddLast(new Entry(seq, payload, batch.Gaps.Count > 0 ? batch.Gaps[0] : null, end, samples));
        }
    }

    private void DropOldestUnsent()
    {
        for (var node = _spool.First; node is not null; node = node.Next)
        {
            if (node.Value.Sent)
            {
                continue;
            }

            var dropped = node.Value;
            _spool.Remove(node);
            Interlocked.Increment(ref _lostBatches);
            Interlocked.Add(ref _lostSamples, dropped.Samples);
            // The gap it carried never left either: carry it on, grown by the dropped batch.
            var gap = _pendingGap ?? dropped.Gap ?? new Gap { StartUnixMs = dropped.EndUnixMs - 1000, EndUnixMs = dropped.EndUnixMs };
            if (_pendingGap is not null && dropped.Gap is { } carried)
            {
                gap.BatchesLost += carried.BatchesLost;
                gap.SamplesLost += carried.SamplesLost;
                gap.StartUnixMs = Math.Min(gap.StartUnixMs, carried.StartUnixMs);
            }

            gap.BatchesLost += 1;
            gap.SamplesLost += (ulong)dropped.Samples;
            gap.EndUnixMs = Math.Max(gap.EndUnixMs, dropped.EndUnixMs);
            _pendingGap = gap;
            return;
        }
    }

    /// <summary>Delivers the spool until it is empty and <paramref name="producing"/> has finished, reconnecting after every failure.</summary>
    public async Task DeliverAsync(Task producing, CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!(producing.IsCompleted && Spooled == 0 && !HasPendingGap))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await StreamOnceAsync(producing, cancellationToken);
                attempt = 0;
            }
            catch (Exception e) when (e is RpcException or IOException or HttpRequestException or InvalidOperationException or TimeoutException)
            {
                // Full jitter: a fleet reconnecting at once spreads out instead of stampeding.
                attempt = Math.Min(attempt + 1, 6);
                await Task.Delay(Random.Shared.Next(20, 50 << attempt), cancellationToken);
            }
        }
    }

    private async Task StreamOnceAsync(Task producing, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(hubUrl());
        using var call = new Ingest.IngestClient(channel).Stream(new Metadata { { "authorization", $"Bearer {Secret}" } }, cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { HostName = host, Epoch = Epoch, AgentVersion = "sim", Fidelity = Fidelity.InterfacesOnly } });
        await NextAsync(call, cancellationToken); // Welcome
        while (true)
        {
            Entry? entry;
            lock (_gate)
            {
                entry = _spool.First?.Value;
                if (entry is not null)
                {
                    entry.Sent = true;
                }
            }

            if (entry is null)
            {
                if (producing.IsCompleted && !FlushGap())
                {
                    await call.RequestStream.CompleteAsync();
                    return;
                }

                await Task.Delay(10, cancellationToken);
                continue;
            }

            await call.RequestStream.WriteAsync(new AgentMessage { Batch = UnsafeByteOperations.UnsafeWrap(entry.Payload) }, cancellationToken);
            var ack = (await NextAsync(call, cancellationToken)).Ack;
            if (ack.Seq != entry.Seq)
            {
                throw new InvalidOperationException($"{host}: ack for seq {ack.Seq}, expected {entry.Seq}");
            }

            if (ack.Code == 0 || ack.Code == (int)StatusCode.InvalidArgument)
            {
                lock (_gate)
                {
                    _spool.RemoveFirst();
                    if (ack.Code != 0)
                    {
                        Rejected++;
                    }
                    else if (ack.Duplicate)
                    {
                        AckedDuplicate++;
                    }
                    else
                    {
                        Acked++;
                    }
                }
            }
            else
            {
                throw new RpcException(new Status((StatusCode)ack.Code, ack.Message));
            }
        }
    }

    /// <summary>Sends every batch this agent ever made again on a new stream; returns how many the hub acked as duplicates.</summary>
    public async Task<int> ReplayHistoryAsync()
    {
        using var channel = GrpcChannel.ForAddress(hubUrl());
        using var call = new Ingest.IngestClient(channel).Stream(new Metadata { { "authorization", $"Bearer {Secret}" } });
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { HostName = host, Epoch = Epoch, AgentVersion = "sim", Fidelity = Fidelity.InterfacesOnly } });
        await NextAsync(call, CancellationToken.None);
        var duplicates = 0;
        foreach (var payload in _history)
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Batch = ByteString.CopyFrom(payload) });
            var ack = (await NextAsync(call, CancellationToken.None)).Ack;
            duplicates += ack is { Code: 0, Duplicate: true } ? 1 : 0;
        }

        await call.RequestStream.CompleteAsync();
        return duplicates;
    }

    /// <summary>Opens a stream with this agent's identity and Hello and returns it, welcomed, for hostile scenarios.</summary>
    public async Task<AsyncDuplexStreamingCall<AgentMessage, HubMessage>> OpenAsync(string helloHost, GrpcChannel channel)
    {
        var call = new Ingest.IngestClient(channel).Stream(new Metadata { { "authorization", $"Bearer {Secret}" } });
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { HostName = helloHost, Epoch = Epoch, AgentVersion = "sim", Fidelity = Fidelity.InterfacesOnly } });
        await NextAsync(call, CancellationToken.None);
        return call;
    }

    internal static async Task<HubMessage> NextAsync(AsyncDuplexStreamingCall<AgentMessage, HubMessage> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            return await call.ResponseStream.MoveNext(timeout.Token) ? call.ResponseStream.Current
                : throw new IOException("the hub closed the stream");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("no answer from the hub within 15 s");
        }
    }

    private sealed class Entry(ulong seq, byte[] payload, Gap? gap, long endUnixMs, int samples)
    {
        public int Samples { get; } = samples;

        public ulong Seq { get; } = seq;

        public byte[] Payload { get; } = payload;

        public Gap? Gap { get; } = gap;

        public long EndUnixMs { get; } = endUnixMs;

        /// <summary>Left the agent at least once: the hub may have stored it.</summary>
        public bool Sent { get; set; }
    }
}
