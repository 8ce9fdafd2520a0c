namespace FleetNet.Agent.Conntrack;

/// <summary>
/// Turns successive dumps into per-interval deltas per flow (keyed by <see cref="ConntrackKey"/>).
/// The first dump only sets the baseline; a flow first seen later counts from zero, so its whole life
/// is counted once; a flow that vanished is forgotten (bytes it moved between the last dump and its
/// destruction are not seen: that would need the destroy event group). A counter that went backwards
/// (a new flow reusing key and id) counts from zero again. Not thread-safe.
/// </summary>
internal sealed class ConntrackDeltaTracker
{
    private Dictionary<ConntrackKey, ConntrackEntry> _previous = [];
    private Dictionary<ConntrackKey, ConntrackEntry> _current = [];
    private bool _baselined;

    /// <summary>Flows remembered from the previous dump.</summary>
    public int Count => _previous.Count;

    /// <summary>Appends the flows of <paramref name="dump"/> that moved, or are new, since the previous call.</summary>
    public void Update(List<ConntrackEntry> dump, List<ConntrackFlowDelta> into)
    {
        _current.Clear();
        foreach (var entry in dump)
        {
            var key = ConntrackKey.Of(entry);
            if (!_current.TryAdd(key, entry))
            {
                continue; // the same flow twice in one (interrupted) dump
            }

            if (!_baselined)
            {
                continue;
            }

            if (!_previous.TryGetValue(key, out var before))
            {
                into.Add(new ConntrackFlowDelta(entry, entry.OrigPackets, entry.OrigBytes, entry.ReplyPackets, entry.ReplyBytes));
                continue;
            }

            var reset = entry.OrigBytes < before.OrigBytes || entry.ReplyBytes < before.ReplyBytes
                || entry.OrigPackets < before.OrigPackets || entry.ReplyPackets < before.ReplyPackets;
            var delta = reset
                ? new ConntrackFlowDelta(entry, entry.OrigPackets, entry.OrigBytes, entry.ReplyPackets, entry.ReplyBytes)
                : new ConntrackFlowDelta(entry, entry.OrigPackets - before.OrigPackets, entry.OrigBytes - before.OrigBytes,
                    entry.ReplyPackets - before.ReplyPackets, entry.ReplyBytes - before.ReplyBytes);
            if (delta.OrigPackets + delta.ReplyPackets > 0)
            {
                into.Add(delta);
            }
        }

        _baselined = true;
        (_previous, _current) = (_current, _previous);
    }
}
