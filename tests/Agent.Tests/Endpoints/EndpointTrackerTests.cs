using FleetNet.Agent.Endpoints;
using FleetNet.Agent.Interop;
using FleetNet.Agent.Processes;

namespace FleetNet.Agent.Tests.Endpoints;

public sealed class EndpointTrackerTests
{
    private static readonly EndpointKey s_web = new() { Tgid = 100, Proto = 1, StartNs = 5_000_000, Raddr = 0x0100_12c6, Rport = 443, Lport = 40_000, Family = 2 };
    private static readonly EndpointKey s_dns = new() { Tgid = 200, Proto = 2, StartNs = 6_000_000, Raddr = 0x0200_12c6, Rport = 53, Lport = 50_000, Family = 2 };

    private readonly EndpointTracker _tracker = new();
    private readonly List<EndpointUsage> _usages = [];

    [Fact]
    public void SnapshotInParts_KeepsLaterPartsBaselinesAndForgetsOnlyWhatNoPartHad()
    {
        _tracker.Update([s_web, s_dns], [Value(tx: 100), Value(tx: 10)], StartUnixMs, _usages);
        _usages.Clear();

        // The next snapshot arrives in two parts: the web endpoint in the second, the DNS one in neither.
        _tracker.Begin();
        _tracker.Add([], [], StartUnixMs, _usages);
        _tracker.Add([s_web], [Value(tx: 150, calls: 2)], StartUnixMs, _usages);
        _tracker.End();

        Assert.Equal(50ul, Assert.Single(_usages).TxBytes);
        Assert.Equal(1, _tracker.Tracked);
        _usages.Clear();

        // Its baseline went at the end of that snapshot: back in the map, it counts from zero.
        _tracker.Update([s_dns], [Value(tx: 12, calls: 2)], StartUnixMs, _usages);
        Assert.Equal(12ul, Assert.Single(_usages).TxBytes);
    }

    [Fact]
    public void Begin_BurstOfNewEntries_SizesTheTableOnceAndGivesItBackWhenTheyAreGone()
    {
        var keys = new EndpointKey[3_000];
        var values = new EndpointValue[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = s_web with { Lport = (ushort)(10_000 + i) };
            values[i] = Value(tx: 10);
        }

        _tracker.Begin(newEntries: keys.Length);
        var sized = _tracker.Capacity;
        _tracker.Add(keys, values, StartUnixMs, _usages);

        Assert.InRange(sized, keys.Length, 2 * keys.Length);
        Assert.Equal(sized, _tracker.Capacity);
        _tracker.End();
        Assert.Equal(keys.Length, _tracker.Tracked);

        // The next snapshot has none of them: the table goes back to a quiet host's size.
        _tracker.Update([s_dns], [Value(tx: 1)], StartUnixMs, _usages);
        Assert.InRange(_tracker.Capacity, 1, CollectionTrim.KeepEntries * 2);
    }

    [Fact]
    public void Update_EndpointsToOneAddress_ShareOneAddressArray()
    {
        var web2 = s_web with { Lport = 40_001 };

        _tracker.Update([s_web, web2, s_dns], [Value(tx: 1), Value(tx: 2), Value(tx: 3)], StartUnixMs, _usages);

        Assert.Equal([198, 18, 0, 1], _usages[0].RemoteAddress);
        Assert.Same(_usages[0].RemoteAddress, _usages[1].RemoteAddress);
        Assert.Equal([198, 18, 0, 2], _usages[2].RemoteAddress);
    }

    [Fact]
    public void Retire_EmitsTheFinalDeltaAndForgetsTheEntry()
    {
        _tracker.Update([s_web], [Value(tx: 100)], StartUnixMs, _usages);
        _usages.Clear();

        _tracker.Begin();
        _tracker.Add([s_web], [Value(tx: 100)], StartUnixMs, _usages);
        _tracker.Retire(s_web, Value(tx: 130, calls: 2), StartUnixMs, _usages);
        _tracker.End();

        Assert.Equal(30ul, Assert.Single(_usages).TxBytes);
        Assert.Equal(0, _tracker.Tracked);
    }

    private static long StartUnixMs(ulong startNs) => (long)(startNs / 1_000_000);

    private static EndpointValue Value(ulong tx, ulong calls = 1) => new() { TxBytes = tx, TxCalls = calls };
}
