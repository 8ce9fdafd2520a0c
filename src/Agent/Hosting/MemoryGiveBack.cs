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
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        FilePages.Release();
    }
}
