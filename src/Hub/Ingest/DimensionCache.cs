using System.Collections.Concurrent;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// Ids of dimension rows this hub has seen committed. Rows are never updated or deleted, so a cached id
/// stays right; the cache only saves the look-up round trip. Entries are added after commit only, and
/// the whole cache is dropped when it grows past its bound.
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

        foreach (var (k, v) in resolved.Processes)
        {
            Processes[k] = v;
        }

        foreach (var (k, v) in resolved.Cgroups)
        {
            Cgroups[k] = v;
        }

        foreach (var (k, v) in resolved.Interfaces)
        {
            Interfaces[k] = v;
        }

        foreach (var (k, v) in resolved.Endpoints)
        {
            Endpoints[k] = v;
        }
    }
}
