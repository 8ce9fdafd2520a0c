using System.Diagnostics.CodeAnalysis;
using FleetNet.Agent.Spool;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetNet.Agent.Pipeline;

/// <summary>
/// Encoded batches waiting for the hub's ack, oldest first, bounded in count and — with a
/// <see cref="BatchSpool"/> — in bytes on disk: a batch is written to the spool before any sender can
/// see it, and leaves only when acked (<see cref="Remove"/>), refused for good (<see cref="Reject"/>) or
/// dropped to make room. Every drop becomes a <c>Gap</c> in the next batch, and every batch carries the
/// epoch's <c>AgentCounters</c>, so loss is never silent. With a spool only the batches' positions are
/// held in memory; payloads are read back from disk when sent.
/// Thread-safe: the sampler enqueues while the hub client reads, acks and rejects.
/// </summary>
internal sealed partial class Outbox : IDisposable
{
    private readonly int _capacity;
    private readonly BatchSpool? _spool;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly LinkedList<OutboxItem> _items = new();
    private readonly Dictionary<(ulong Epoch, ulong Seq), LinkedListNode<OutboxItem>> _byKey = [];
    private readonly List<SpoolLoss> _pendingLosses = [];
    private TaskCompletionSource _changed = NewSignal();
    private ulong _lastPosition;
    private ulong _droppedSinceTaken;
    private ulong _droppedTotal;
    private OutboxCounters _counters;

    /// <summary>An outbox in memory only: what it holds is gone if the agent stops.</summary>
    public Outbox(int capacity)
        : this(capacity, null, NullLogger.Instance)
    {
    }

    /// <summary>An outbox backed by <paramref name="spool"/>, starting with what the spool recovered.</summary>
    public Outbox(int capacity, BatchSpool? spool, ILogger logger)
    {
        _capacity = capacity;
        _spool = spool;
        _logger = logger;
        if (spool is null)
        {
            return;
        }

        foreach (var record in spool.Recovered)
        {
            var h = record.Header;
            AddLocked(new OutboxItem(++_lastPosition, h.Epoch, h.Seq, h.StartUnixMs, h.EndUnixMs, h.Samples, null, record));
            RecoveredMaxEpoch = Math.Max(RecoveredMaxEpoch, h.Epoch);
        }

        foreach (var loss in spool.RecoveryLosses)
        {
            NoteLossLocked(loss);
        }
    }

    /// <summary>The number of batches held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Batches dropped (queue or spool full, unreadable) since start.</summary>
    public ulong DroppedTotal
    {
        get
        {
            lock (_lock)
            {
                return _droppedTotal;
            }
        }
    }

    /// <summary>The highest epoch among the batches recovered from the spool (0 when none).</summary>
    public ulong RecoveredMaxEpoch { get; }

    /// <summary>The running totals the next batch will carry.</summary>
    public OutboxCounters Counters
    {
        get
        {
            lock (_lock)
            {
                return _counters;
            }
        }
    }

    /// <summary>
    /// Adds a batch of this epoch: drops the oldest batches when the count or the spool's size cap is
    /// reached, appends the gaps not reported yet and the epoch's counters, and writes it to the spool
    /// before any sender can see it.
    /// </summary>
    public void Enqueue(OutboxEntry entry)
    {
        if (!BatchSummary.TryRead(entry.Payload, out var summary))
        {
            summary = new BatchSummary(entry.Epoch, entry.Seq, 0, 0, 0, 0);
        }

        lock (_lock)
        {
            while (_items.Count >= _capacity && _items.First is { } oldest)
            {
                DropLocked(oldest, "agent queue full");
            }

            if (_spool is not null)
            {
                // Room for the batch plus what is appended to it (gaps, counters): a generous bound.
                var room = SpoolRecordHeader.Size + entry.Payload.Length + 512 + (128 * _pendingLosses.Count);
                DropSegmentsLocked(_spool.MakeRoom(room));
            }

            _counters = _counters with { BatchesSent = _counters.BatchesSent + 1 };
            var tail = OutboxPayload.Tail(summary.Strings, _pendingLosses, _counters);
            _pendingLosses.Clear();
            var position = ++_lastPosition;
            if (_spool is null)
            {
                var payload = OutboxPayload.Join(entry.Payload, tail);
                AddLocked(new OutboxItem(position, summary.Epoch, summary.Seq, summary.StartUnixMs, summary.EndUnixMs, summary.Samples, payload, null));
            }
            else
            {
                // Spooled, the batch and its tail are written one after the other: no joined copy in memory.
                var header = new SpoolRecordHeader(summary.Epoch, summary.Seq, summary.StartUnixMs, summary.EndUnixMs, summary.Samples, entry.Payload.Length + tail.Length);
                var record = _spool.Append(header, entry.Payload, tail);
                AddLocked(new OutboxItem(position, summary.Epoch, summary.Seq, summary.StartUnixMs, summary.EndUnixMs, summary.Samples, null, record));
            }

            SignalLocked();
        }
    }

    /// <summary>Returns the batches dropped since the previous call and starts counting again.</summary>
    public ulong TakeDropped()
    {
        lock (_lock)
        {
            var dropped = _droppedSinceTaken;
            _droppedSinceTaken = 0;
            return dropped;
        }
    }

    /// <summary>Releases an acked batch; false when it was not held (already acked, or dropped).</summary>
    public bool Remove(ulong epoch, ulong seq)
    {
        lock (_lock)
        {
            if (!_byKey.Remove((epoch, seq), out var node))
            {
                return false;
            }

            ReleaseLocked(node);
            return true;
        }
    }

    /// <summary>
    /// Releases a batch the hub refused for good: it is set aside in the spool's <c>rejected</c> folder
    /// with the reason, counted, and the queue moves on. False when it was not held.
    /// </summary>
    public bool Reject(ulong epoch, ulong seq, string reason)
    {
        lock (_lock)
        {
            if (!_byKey.Remove((epoch, seq), out var node))
            {
                return false;
            }

            if (_spool is not null && node.Value.Record is { } record && _spool.Read(record) is { } payload)
            {
                _spool.SetAside(record, payload, reason);
            }

            _counters = _counters with { BatchesRejected = _counters.BatchesRejected + 1 };
            ReleaseLocked(node);
            return true;
        }
    }

    /// <summary>The first held batch whose position is above <paramref name="position"/>.</summary>
    public bool TryGetNextAfter(ulong position, [NotNullWhen(true)] out OutboxEntry? entry)
    {
        lock (_lock)
        {
            // Everything before the cursor that is still held is in flight (a few dozen at most).
            var node = _items.First;
            while (node is not null)
            {
                var next = node.Next;
                if (node.Value.Position > position)
                {
                    if (PayloadLocked(node) is { } payload)
                    {
                        var item = node.Value;
                        entry = new OutboxEntry(item.Seq, payload) { Epoch = item.Epoch, Position = item.Position };
                        return true;
                    }
                }

                node = next;
            }

            entry = null;
            return false;
        }
    }

    /// <summary>Waits for a batch whose position is above <paramref name="position"/>.</summary>
    public async Task<OutboxEntry> WaitNextAfterAsync(ulong position, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (TryGetNextAfter(position, out var entry))
                {
                    return entry;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until every batch has been acked, rejected or dropped.</summary>
    public async Task WaitEmptyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_items.Count == 0)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _spool?.Dispose();

    private void AddLocked(OutboxItem item) => _byKey[(item.Epoch, item.Seq)] = _items.AddLast(item);

    private byte[]? PayloadLocked(LinkedListNode<OutboxItem> node)
    {
        var item = node.Value;
        if (item.Payload is not null || _spool is null || item.Record is not { } record)
        {
            return item.Payload;
        }

        if (_spool.Read(record) is { } payload)
        {
            return payload;
        }

        // Damaged on disk after it was written: it cannot be sent, so it is a loss like any other.
        Log.Unreadable(_logger, item.Epoch, item.Seq);
        DropLocked(node, "spool record unreadable");
        return null;
    }

    private void ReleaseLocked(LinkedListNode<OutboxItem> node)
    {
        _items.Remove(node);
        if (node.Value.Record is { } record)
        {
            _spool?.Release(record);
        }

        SignalLocked();
    }

    private void DropLocked(LinkedListNode<OutboxItem> node, string reason)
    {
        var item = node.Value;
        _byKey.Remove((item.Epoch, item.Seq));
        ReleaseLocked(node);
        _droppedSinceTaken++;
        _droppedTotal++;
        NoteLossLocked(new SpoolLoss(1, item.Samples, item.StartUnixMs, item.EndUnixMs, reason));
    }

    private void DropSegmentsLocked(List<long> segments)
    {
        if (segments.Count == 0)
        {
            return;
        }

        var node = _items.First;
        while (node is not null)
        {
            var next = node.Next;
            if (node.Value.Record is { } record && segments.Contains(record.Segment))
            {
                // The segment file is already gone; only the accounting is left.
                var item = node.Value;
                _byKey.Remove((item.Epoch, item.Seq));
                _items.Remove(node);
                _droppedSinceTaken++;
                _droppedTotal++;
                NoteLossLocked(new SpoolLoss(1, item.Samples, item.StartUnixMs, item.EndUnixMs, "spool full (SpoolMaxBytes)"));
            }

            node = next;
        }

        Log.SpoolFull(_logger, segments.Count);
        SignalLocked();
    }

    /// <summary>Counts a loss and merges it into the pending gap with the same reason.</summary>
    private void NoteLossLocked(SpoolLoss loss)
    {
        _counters = _counters with
        {
            BatchesLost = _counters.BatchesLost + loss.Batches,
            SamplesLost = _counters.SamplesLost + loss.Samples,
        };

        for (var i = 0; i < _pendingLosses.Count; i++)
        {
            var pending = _pendingLosses[i];
            if (pending.Reason == loss.Reason)
            {
                _pendingLosses[i] = pending with
                {
                    Batches = pending.Batches + loss.Batches,
                    Samples = pending.Samples + loss.Samples,
                    StartUnixMs = Math.Min(pending.StartUnixMs, loss.StartUnixMs),
                    EndUnixMs = Math.Max(pending.EndUnixMs, loss.EndUnixMs),
                };
                return;
            }
        }

        _pendingLosses.Add(loss);
    }

    private void SignalLocked()
    {
        _changed.TrySetResult();
        _changed = NewSignal();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
