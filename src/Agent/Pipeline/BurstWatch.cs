using FleetNet.Agent.Processes;

namespace FleetNet.Agent.Pipeline;

/// <summary>
/// Tells when a burst is over: an interval with more processes than a quiet host's working set
/// (<see cref="CollectionTrim.KeepEntries"/>), then the first interval back at or under it.
/// </summary>
internal struct BurstWatch
{
    private bool _inBurst;

    /// <summary>Feeds one interval's process count; true exactly once, on the first quiet interval after a burst.</summary>
    public bool Ended(int processCount)
    {
        if (processCount > CollectionTrim.KeepEntries)
        {
            _inBurst = true;
            return false;
        }

        var ended = _inBurst;
        _inBurst = false;
        return ended;
    }
}
