using FleetNet.Agent.Processes;

namespace FleetNet.Agent.Tests.Processes;

public sealed class BurstWatchTests
{
    [Fact]
    public void Ended_QuietIntervalsOnly_NeverEnds()
    {
        var watch = new BurstWatch();

        Assert.False(watch.Ended(0));
        Assert.False(watch.Ended(CollectionTrim.KeepEntries));
        Assert.False(watch.Ended(12));
    }

    [Fact]
    public void Ended_BurstOverSeveralIntervalsThenQuiet_EndsOnceOnTheFirstQuietInterval()
    {
        var watch = new BurstWatch();

        Assert.False(watch.Ended(CollectionTrim.KeepEntries + 1));
        Assert.False(watch.Ended(5_000));
        Assert.True(watch.Ended(3));
        Assert.False(watch.Ended(3));
        Assert.False(watch.Ended(0));
    }

    [Fact]
    public void Ended_TwoBurstsApart_EndsAfterEach()
    {
        var watch = new BurstWatch();

        Assert.False(watch.Ended(5_000));
        Assert.True(watch.Ended(10));
        Assert.False(watch.Ended(2_000));
        Assert.True(watch.Ended(CollectionTrim.KeepEntries));
    }

    [Fact]
    public void GiveBackAfter_StartupThenBurst_GivesBackAtTheEndOfStartupAndAfterTheBurst()
    {
        var watch = new BurstWatch();

        Assert.False(watch.GiveBackAfter(3));
        Assert.True(watch.GiveBackAfter(3));
        Assert.False(watch.GiveBackAfter(3));
        Assert.False(watch.GiveBackAfter(5_000));
        Assert.True(watch.GiveBackAfter(3));
        Assert.False(watch.GiveBackAfter(3));
    }

    [Fact]
    public void GiveBackAfter_BurstDuringStartup_EndsStartupOnTimeAndTheBurstOnItsFirstQuietInterval()
    {
        var watch = new BurstWatch();

        Assert.False(watch.GiveBackAfter(5_000));
        Assert.True(watch.GiveBackAfter(3));
        Assert.False(watch.GiveBackAfter(3));
    }
}
