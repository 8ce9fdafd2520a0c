using FleetNet.Agent.Hosting;

namespace FleetNet.Agent.Processes;

/// <summary>
/// When the agent gives memory back. At the end of start-up (its <see cref="StartupIntervals"/>-th
/// interval): the file pages only start-up ran (<see cref="FilePages"/>). After a burst, an interval with
/// more processes than a quiet host's working set (<see cref="CollectionTrim.KeepEntries"/>), on the
/// first interval back at or under it: the heap the burst grew, and the file pages it ran.
/// </summary>
internal struct BurstWatch
{
    /// <summary>The interval that ends start-up: the first collection is a baseline, the second the first delta.</summary>
    public const int StartupIntervals = 2;

    private bool _inBurst;
    private int _intervals;

    /// <summary>What <see cref="GiveBackAfter"/> gave back.</summary>
    [Flags]
    public enum GiveBack
    {
        None = 0,

        /// <summary>The heap, compacted, and the GC's free regions.</summary>
        Heap = 1,

        /// <summary>File pages (<see cref="FilePages"/>).</summary>
        FilePages = 2,
    }

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
    /// Feeds one interval's process count. Once a burst is over, compacts the heap (the large-object heap
    /// too) and returns the GC's free regions to the kernel, which the runtime otherwise keeps committed
    /// at the burst's peak for the rest of the run. At the end of start-up and after a burst, gives back
    /// the file pages the agent is not running.
    /// </summary>
    public GiveBack GiveBackAfter(int processCount)
    {
        var startupOver = _intervals < StartupIntervals && ++_intervals == StartupIntervals;
        var burstOver = Ended(processCount);
        var done = GiveBack.None;
        if (burstOver)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            done |= GiveBack.Heap;
        }

        if (startupOver || burstOver)
        {
            FilePages.Release();
            done |= GiveBack.FilePages;
        }

        return done;
    }
}
