using FleetNet.Agent.Conntrack;

namespace FleetNet.Agent.Tests.Conntrack;

public sealed class ConntrackDeltaTrackerTests
{
    private readonly ConntrackDeltaTracker _tracker = new();

    [Fact]
    public void Update_FirstDump_OnlyBaseline()
    {
        var deltas = new List<ConntrackFlowDelta>();

        _tracker.Update([Flow(1, 100, 50)], deltas);

        Assert.Empty(deltas);
        Assert.Equal(1, _tracker.Count);
    }

    [Fact]
    public void Update_KnownFlowMoved_DeltaOnly_IdleFlowOmitted()
    {
        _tracker.Update([Flow(1, 100, 50), Flow(2, 10, 10)], []);
        var deltas = new List<ConntrackFlowDelta>();

        _tracker.Update([Flow(1, 180, 70, packets: 4), Flow(2, 10, 10)], deltas);

        var delta = Assert.Single(deltas);
        Assert.Equal(1U, delta.Entry.Id);
        Assert.Equal((80UL, 20UL), (delta.OrigBytes, delta.ReplyBytes));
    }

    [Fact]
    public void Update_NewFlowAfterBaseline_CountsFromZero()
    {
        _tracker.Update([], []);
        var deltas = new List<ConntrackFlowDelta>();

        _tracker.Update([Flow(3, 500, 300)], deltas);

        Assert.Equal((500UL, 300UL), (Assert.Single(deltas).OrigBytes, deltas[0].ReplyBytes));
    }

    [Fact]
    public void Update_SameTupleNewIdOrCountersBackwards_TreatedAsNewFlow()
    {
        _tracker.Update([Flow(1, 1000, 1000)], []);
        var deltas = new List<ConntrackFlowDelta>();

        _tracker.Update([Flow(1, 40, 30), Flow(9, 7, 0)], deltas);

        Assert.Equal([(40UL, 30UL), (7UL, 0UL)], deltas.Select(d => (d.OrigBytes, d.ReplyBytes)));
    }

    [Fact]
    public void Update_FlowGone_Forgotten()
    {
        _tracker.Update([Flow(1, 1, 1)], []);
        _tracker.Update([], []);

        Assert.Equal(0, _tracker.Count);
    }

    private static ConntrackEntry Flow(uint id, ulong origBytes, ulong replyBytes, ulong packets = 2) =>
        new(id, 2, 6, [198, 18, 0, 1], [198, 18, 0, 2], 40000, 80, [198, 18, 0, 2], [198, 18, 0, 1], 80, 40000,
            packets, origBytes, packets, replyBytes, true, 0, 0, 0);
}
