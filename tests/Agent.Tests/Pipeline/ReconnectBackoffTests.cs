using FleetNet.Agent.Pipeline;

namespace FleetNet.Agent.Tests.Pipeline;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Next_RepeatedFailures_CeilingDoublesUpToCap()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), new Random(1));
        var ceilings = new List<double>();

        for (var i = 0; i < 10; i++)
        {
            ceilings.Add(backoff.CurrentCeiling.TotalSeconds);
            backoff.Next();
        }

        Assert.Equal([0.5, 1, 2, 4, 8, 16, 30, 30, 30, 30], ceilings);
    }

    [Fact]
    public void Next_FullJitter_StaysWithinZeroAndCeilingAndVaries()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(8), new Random(7));
        var delays = new HashSet<TimeSpan>();

        for (var i = 0; i < 100; i++)
        {
            var delay = backoff.Next();
            Assert.InRange(delay, TimeSpan.Zero, TimeSpan.FromSeconds(8));
            delays.Add(delay);
        }

        Assert.True(delays.Count > 90);
    }

    [Fact]
    public void Reset_AfterFailures_StartsAgainAtInitial()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), new Random(1));
        for (var i = 0; i < 100; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.Equal(TimeSpan.FromMilliseconds(500), backoff.CurrentCeiling);
    }
}
