namespace FleetNet.Agent.Processes;

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

    /// <summary>
    /// Feeds one interval's process count; once a burst is over, compacts the heap (the large-object heap
    /// too) and returns the GC's free regions to the kernel, which the runtime otherwise keeps committed
    /// at the burst's peak for the rest of the run.
    /// </summary>
    public void GiveBackAfter(int processCount)
    {
        if (Ended(processCount))
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }
}
