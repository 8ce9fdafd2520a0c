namespace FleetNet.Agent.Hosting;

/// <summary>
/// Returns what the agent holds but no longer uses: one aggressive compacting collection gives the GC's
/// free regions back to the kernel (the runtime otherwise keeps them committed), and <see cref="FilePages"/>
/// unmaps the code and read-only data the agent is not running. Done before the first connection to the
/// hub, at the end of start-up and after a burst (<see cref="Processes.BurstWatch"/>); it costs a few ms.
/// </summary>
internal static class MemoryGiveBack
{
    public static void Now()
    {
        // Code pages first as well: a full compacting collection runs GC code that nothing else does, which
        // would otherwise come on top of everything the agent ran since the last give-back (+2.5 MiB for a moment).
        FilePages.Release();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        FilePages.Release();
    }
}
