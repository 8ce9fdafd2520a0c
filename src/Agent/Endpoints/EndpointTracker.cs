using System.Runtime.InteropServices;
using FleetNet.Agent.Interop;
using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Endpoints;

/// <summary>
/// Turns snapshots of the cumulative fn_endpoints map into per-interval deltas. Baselines of entries
/// that left the map (taken by the agent, or evicted by the LRU) are forgotten with them, so memory is
/// bounded by the map's size; the agent takes out the entries of exited processes and those idle for an
/// interval (<see cref="IsIdle"/>), so in practice by the endpoints in use.
/// </summary>
internal sealed class EndpointTracker
{
    /// <summary>Distinct remote addresses whose bytes are shared; past that the cache starts over.</summary>
    private const int MaxAddresses = 1024;

    private readonly Dictionary<EndpointKey, Seen> _seen = [];
    private readonly Dictionary<(ulong, ulong, ushort), byte[]> _addresses = [];
    private int _generation;

    /// <summary>Baselines held (for tests).</summary>
    public int Tracked => _seen.Count;

    /// <summary>Baselines the table has room for without growing (for tests).</summary>
    internal int Capacity => _seen.EnsureCapacity(0);

    /// <summary>Emits what each entry gained since the previous snapshot.</summary>
    public void Update(ReadOnlySpan<EndpointKey> keys, ReadOnlySpan<EndpointValue> values, Func<ulong, long> startUnixMs, List<EndpointUsage> into)
    {
        Begin();
        Add(keys, values, startUnixMs, into);
        End();
    }

    /// <summary>
    /// Starts a snapshot that arrives in parts (<see cref="Add"/>, then <see cref="End"/>); the caller
    /// retires each part's entries of exited processes before the next, so they are never all held.
    /// </summary>
    /// <param name="newEntries">Entries created since the previous snapshot, to size the baselines once.</param>
    public void Begin(int newEntries = 0)
    {
        ++_generation;
        _seen.EnsureCapacity(_seen.Count + newEntries);
    }

    /// <summary>One part of the snapshot begun by <see cref="Begin"/>.</summary>
    public void Add(ReadOnlySpan<EndpointKey> keys, ReadOnlySpan<EndpointValue> values, Func<ulong, long> startUnixMs, List<EndpointUsage> into)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            Emit(keys[i], values[i], _generation, startUnixMs, into);
        }
    }

    /// <summary>Ends the snapshot: baselines of entries missing from it are forgotten.</summary>
    public void End()
    {
        foreach (var (key, seen) in _seen)
        {
            if (seen.Generation != _generation)
            {
                _seen.Remove(key);
            }
        }

        Processes.CollectionTrim.Trim(_seen);
    }

    /// <summary>Emits the last delta of an entry taken out of the map and forgets it.</summary>
    public void Retire(in EndpointKey key, in EndpointValue finalValue, Func<ulong, long> startUnixMs, List<EndpointUsage> into)
    {
        Emit(key, finalValue, _generation, startUnixMs, into);
        _seen.Remove(key);
    }

    /// <summary>True when the entry was there a snapshot before and gained nothing since: idle for a whole interval.</summary>
    public bool IsIdle(in EndpointKey key) => _seen.TryGetValue(key, out var seen) && seen.Idle;

    private void Emit(in EndpointKey key, in EndpointValue value, int generation, Func<ulong, long> startUnixMs, List<EndpointUsage> into)
    {
        ref var seen = ref CollectionsMarshal.GetValueRefOrAddDefault(_seen, key, out var existed);
        var previous = existed ? seen.Value : default;
        seen.Generation = generation;
        seen.Value = value;
        var txCalls = value.TxCalls - previous.TxCalls;
        var rxCalls = value.RxCalls - previous.RxCalls;
        seen.Idle = existed && txCalls == 0 && rxCalls == 0;
        if (txCalls == 0 && rxCalls == 0)
        {
            return;
        }

        into.Add(new EndpointUsage(
            Pid: key.Tgid,
            StartUnixMs: startUnixMs(key.StartNs),
            Protocol: key.Proto is >= 1 and <= 3 ? (IpProtocol)key.Proto : IpProtocol.Unspecified,
            RemoteAddress: Address(key),
            RemotePort: key.Rport,
            LocalPort: key.Lport,
            Netns: key.Netns,
            TxBytes: value.TxBytes - previous.TxBytes,
            RxBytes: value.RxBytes - previous.RxBytes,
            TxCalls: txCalls,
            RxCalls: rxCalls));
    }

    /// <summary>
    /// The remote address's bytes, one array per distinct address: a burst is thousands of endpoints with
    /// a handful of addresses. Shared, so never written to by their users.
    /// </summary>
    private byte[] Address(in EndpointKey key)
    {
        var id = (key.Raddr, key.RaddrTail, key.Family);
        if (_addresses.TryGetValue(id, out var bytes))
        {
            return bytes;
        }

        if (_addresses.Count >= MaxAddresses)
        {
            _addresses.Clear();
        }

        bytes = key.RemoteAddress();
        _addresses[id] = bytes;
        return bytes;
    }

    private struct Seen
    {
        public EndpointValue Value;

        /// <summary>The snapshot that last saw the entry (wraps after 2^32 snapshots: only compared for equality).</summary>
        public int Generation;
        public bool Idle;
    }
}
