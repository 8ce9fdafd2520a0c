using System.Collections.Concurrent;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// Ids of dimension rows this hub has seen committed. Rows are never deleted, and the only update (a
/// process row's metadata filled in) keeps the id, so a cached id stays right; the cache only saves the
/// look-up round trip. Entries are added after commit only (a process row still without metadata is not
/// added, so that a later sample reaches the row and fills it in), and the whole cache is dropped when it
/// grows past its bound.
/// </summary>
internal sealed class DimensionCache
{
    private const int MaxEntries = 2_000_000;

    public ConcurrentDictionary<ProcessKey, long> Processes { get; } = new();

    public ConcurrentDictionary<CgroupKey, long> Cgroups { get; } = new();

    public ConcurrentDictionary<InterfaceKey, long> Interfaces { get; } = new();

    public ConcurrentDictionary<EndpointKey, long> Endpoints { get; } = new();

    /// <summary>Adds what a committed transaction resolved.</summary>
    public void Add(DimensionIds resolved)
    {
        if (Processes.Count + Endpoints.Count > MaxEntries)
        {
            Processes.Clear();
            Cgroups.Clear();
            Interfaces.Clear();
            Endpoints.Clear();
        }

        // Most ids of a transaction came from this cache; a lock-free look-up skips them instead of a locked write.
        foreach (var (k, v) in resolved.Processes)
        {
            if (!resolved.UndescribedProcesses.Contains(k) && !Processes.ContainsKey(k))
            {
                Processes[k] = v;
            }
        }

        AddMissing(Cgroups, resolved.Cgroups);
        AddMissing(Interfaces, resolved.Interfaces);
        AddMissing(Endpoints, resolved.Endpoints);
    }

    private static void AddMissing<TKey>(ConcurrentDictionary<TKey, long> cache, Dictionary<TKey, long> resolved)
        where TKey : notnull
    {
        foreach (var (k, v) in resolved)
        {
            if (!cache.ContainsKey(k))
            {
                cache[k] = v;
            }
        }
    }
}
