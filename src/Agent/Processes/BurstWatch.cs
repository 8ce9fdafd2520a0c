using FleetNet.Agent.Hosting;

namespace FleetNet.Agent.Processes;

/// <summary>
/// When the agent gives memory back: at the end of start-up (its <see cref="StartupIntervals"/>-th
/// interval), and after a burst, an interval with more processes than a quiet host's working set
/// (<see cref="CollectionTrim.KeepEntries"/>), on the first interval back at or under it. Both times it
/// gives memory back (<see cref="MemoryGiveBack"/>): start-up's first collections and TLS session, or the
/// burst's tables, leave several MB that the runtime keeps committed otherwise.
/// </summary>
internal struct BurstWatch
{
    /// <summary>The interval that ends start-up: the first collection is a baseline, the second the first delta.</summary>
    public const int StartupIntervals = 2;

    private bool _inBurst;
    private int _intervals;

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
    /// Feeds one interval's process count; at the end of start-up and once a burst is over, gives memory
    /// back (<see cref="MemoryGiveBack"/>); true when it did.
    /// </summary>
    public bool GiveBackAfter(int processCount)
    {
        var startupOver = _intervals < StartupIntervals && ++_intervals == StartupIntervals;
        var burstOver = Ended(processCount);
        if (!startupOver && !burstOver)
        {
            return false;
        }

        MemoryGiveBack.Now();
        return true;
    }
}
