using FleetNet.Agent.Interop;
using FleetNet.Agent.Processes;
using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Tests.Processes;

public sealed class ProcessUsageTrackerTests : IDisposable
{
    private static readonly UsageKey s_curl = new() { Tgid = 100, Proto = 1, StartNs = 123_450_000_000, CgroupId = 7 };
    private static readonly UsageKey s_vanished = new() { Tgid = 600, Proto = 2, StartNs = 9_000_000_000, CgroupId = 8 };

    private readonly ProcFixture _fixture = new();
    private readonly ProcessUsageTracker _tracker;
    private readonly List<ProcessUsage> _usages = [];
    private readonly List<UsageKey> _exited = [];

    public ProcessUsageTrackerTests() => _tracker = new ProcessUsageTracker(new ProcReader(_fixture.Root));

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Update_NewEntry_EmitsCountersWithProcMetadata()
    {
        _tracker.Update([s_curl], [Value(tx: 1000, rx: 50, txCalls: 2, rxCalls: 1)], _usages, _exited);

        var usage = Assert.Single(_usages);
        Assert.Equal(new ProcessUsage(100, 1_700_000_000_000 + 123_450, "curl", "/usr/bin/curl", "curl -s http://example.test/a b",
            "/system.slice/backup.service", 7, 1000, IpProtocol.Tcp, 1000, 50, 2, 1) { Fidelity = Fidelity.BtfTracepoint }, usage);
        Assert.Empty(_exited);
    }

    [Fact]
    public void Update_GrowingEntry_EmitsOnlyTheDelta()
    {
        _tracker.Update([s_curl], [Value(tx: 1000, rx: 50, txCalls: 2, rxCalls: 1)], _usages, _exited);
        _usages.Clear();

        _tracker.Update([s_curl], [Value(tx: 1500, rx: 50, txCalls: 3, rxCalls: 1)], _usages, _exited);

        var usage = Assert.Single(_usages);
        Assert.Equal((500ul, 0ul, 1ul, 0ul), (usage.TxBytes, usage.RxBytes, usage.TxCalls, usage.RxCalls));
    }

    [Fact]
    public void Update_IdleLiveEntry_EmitsNothingAndKeepsIt()
    {
        _tracker.Update([s_curl], [Value(tx: 1000, rx: 0, txCalls: 1, rxCalls: 0)], _usages, _exited);
        _usages.Clear();

        _tracker.Update([s_curl], [Value(tx: 1000, rx: 0, txCalls: 1, rxCalls: 0)], _usages, _exited);

        Assert.Empty(_usages);
        Assert.Empty(_exited);
    }

    [Fact]
    public void Update_PidVanishedBeforeReading_EmitsItWithBpfFieldsAndKeepsTheRest()
    {
        _tracker.Update([s_vanished, s_curl], [Value(tx: 10, rx: 0, txCalls: 1, rxCalls: 0, uid: 33), Value(tx: 20, rx: 0, txCalls: 1, rxCalls: 0)], _usages, _exited);

        Assert.Equal(2, _usages.Count);
        Assert.Equal(new ProcessUsage(600, 1_700_000_000_000 + 9_000, "curl", "", "", "", 8, 33, IpProtocol.Udp, 10, 0, 1, 0) { Fidelity = Fidelity.BtfTracepoint }, _usages[0]);
        Assert.Equal("/usr/bin/curl", _usages[1].Exe);
    }

    [Fact]
    public void Update_IdleEntryOfExitedProcess_ReportsItExitedAndRetireEmitsTheRest()
    {
        _tracker.Update([s_vanished], [Value(tx: 10, rx: 0, txCalls: 1, rxCalls: 0)], _usages, _exited);
        _tracker.Update([s_vanished], [Value(tx: 10, rx: 0, txCalls: 1, rxCalls: 0)], _usages, _exited);
        Assert.Equal([s_vanished], _exited);
        _usages.Clear();

        // Bytes sent between the snapshot and the exit arrive with the final value.
        _tracker.Retire(s_vanished, Value(tx: 15, rx: 0, txCalls: 2, rxCalls: 0), _usages);

        var usage = Assert.Single(_usages);
        Assert.Equal(5ul, usage.TxBytes);
        _usages.Clear();
        _exited.Clear();

        // Forgotten: a new entry with the same key starts from zero again.
        _tracker.Update([s_vanished], [Value(tx: 3, rx: 0, txCalls: 1, rxCalls: 0)], _usages, _exited);
        Assert.Equal(3ul, Assert.Single(_usages).TxBytes);
    }

    [Fact]
    public void SnapshotInParts_KeepsLaterPartsBaselinesAndForgetsOnlyWhatNoPartHad()
    {
        _tracker.Update([s_curl, s_vanished], [Value(tx: 100, rx: 0, txCalls: 1, rxCalls: 0), Value(tx: 10, rx: 0, txCalls: 1, rxCalls: 0)], _usages, _exited);
        _usages.Clear();

        // The next snapshot arrives in two parts: curl in the second, the other entry in neither.
        _tracker.Begin();
        _tracker.Add([], [], _usages, _exited);
        _tracker.Add([s_curl], [Value(tx: 150, rx: 0, txCalls: 2, rxCalls: 0)], _usages, _exited);
        _tracker.End();

        Assert.Equal(50ul, Assert.Single(_usages).TxBytes);
        _usages.Clear();

        // Its baseline went at the end of that snapshot: back in the map, it counts from zero.
        _tracker.Update([s_vanished], [Value(tx: 12, rx: 0, txCalls: 2, rxCalls: 0)], _usages, _exited);
        Assert.Equal(12ul, Assert.Single(_usages).TxBytes);
    }

    private static UsageValue Value(ulong tx, ulong rx, ulong txCalls, ulong rxCalls, uint uid = 0)
    {
        var value = new UsageValue { TxBytes = tx, RxBytes = rx, TxCalls = txCalls, RxCalls = rxCalls, Uid = uid };
        "curl"u8.CopyTo(value.Comm);
        return value;
    }
}
