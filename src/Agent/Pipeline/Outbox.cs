using System.Diagnostics.CodeAnalysis;

namespace FleetNet.Agent.Pipeline;

/// <summary>
/// Encoded batches waiting for the hub's ack, in sequence order and bounded: when full, the oldest batch
/// is dropped and counted so the next batch can report it. A batch leaves only when it is acked
/// (<see cref="Remove"/>) or dropped; senders read it as often as they need to (replays after reconnects).
/// Thread-safe: the sampler enqueues while the hub client reads and removes.
/// </summary>
internal sealed class Outbox(int capacity)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<OutboxEntry> _entries = new();
    private readonly Dictionary<ulong, LinkedListNode<OutboxEntry>> _bySeq = [];
    private TaskCompletionSource _changed = NewSignal();
    private ulong _droppedSinceTaken;
    private ulong _droppedTotal;

    /// <summary>The number of batches held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Batches dropped because the outbox was full, since start.</summary>
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

    /// <summary>Appends a batch (sequence numbers must increase), dropping the oldest when full.</summary>
    public void Enqueue(OutboxEntry entry)
    {
        lock (_lock)
        {
            while (_entries.Count >= capacity && _entries.First is { } oldest)
            {
                _entries.RemoveFirst();
                _bySeq.Remove(oldest.Value.Seq);
                _droppedSinceTaken++;
                _droppedTotal++;
            }

            _bySeq.Add(entry.Seq, _entries.AddLast(entry));
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
    public bool Remove(ulong seq)
    {
        lock (_lock)
        {
            if (!_bySeq.Remove(seq, out var node))
            {
                return false;
            }

            _entries.Remove(node);
            SignalLocked();
            return true;
        }
    }

    /// <summary>The first held batch with a sequence number above <paramref name="seq"/>.</summary>
    public bool TryGetNextAfter(ulong seq, [NotNullWhen(true)] out OutboxEntry? entry)
    {
        lock (_lock)
        {
            // Fast path: the cursor is still held (in flight), so the next one is its neighbour. Otherwise
            // it was acked or dropped, and only the few in-flight entries before it need skipping.
            var node = _bySeq.TryGetValue(seq, out var current) ? current.Next : _entries.First;
            while (node is not null && node.Value.Seq <= seq)
            {
                node = node.Next;
            }

            entry = node?.Value;
            return entry is not null;
        }
    }

    /// <summary>Waits for a batch with a sequence number above <paramref name="seq"/>.</summary>
    public async Task<OutboxEntry> WaitNextAfterAsync(ulong seq, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (TryGetNextAfter(seq, out var entry))
                {
                    return entry;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until every batch has been acked or dropped.</summary>
    public async Task WaitEmptyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_entries.Count == 0)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void SignalLocked()
    {
        _changed.TrySetResult();
        _changed = NewSignal();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
