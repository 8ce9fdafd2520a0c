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
    public void Next_ThousandClientsLoseTheHubTogether_FirstDelaysSpreadEvenlyOverTheWindow()
    {
        // Each agent has its own backoff seeded by the runtime (Random.Shared), as in production.
        var ceiling = ReconnectBackoff.CreateDefault().CurrentCeiling;
        var bins = new int[10];
        var distinct = new HashSet<long>();
        for (var client = 0; client < 1000; client++)
        {
            var delay = ReconnectBackoff.CreateDefault().Next();
            Assert.InRange(delay, TimeSpan.Zero, ceiling);
            bins[Math.Min(9, (int)(delay.Ticks * 10 / ceiling.Ticks))]++;
            distinct.Add(delay.Ticks);
        }

        // Uniform: 100 per tenth of the window expected; 50..150 is more than 5 standard deviations.
        Assert.All(bins, count => Assert.InRange(count, 50, 150));
        Assert.True(distinct.Count > 990, $"only {distinct.Count} distinct delays: clients would reconnect in lockstep");
    }

    [Fact]
    public void NextSlow_Refused_WaitsBetweenCapAndFourTimesCapWithoutGrowingTheCeiling()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), new Random(3));

        for (var i = 0; i < 100; i++)
        {
            Assert.InRange(backoff.NextSlow(), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(120));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(500), backoff.CurrentCeiling);
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
