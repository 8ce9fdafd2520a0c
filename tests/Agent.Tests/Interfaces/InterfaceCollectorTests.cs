using FleetNet.Agent.Interfaces;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Tests.Interfaces;

public sealed class InterfaceCollectorTests : IDisposable
{
    private readonly SysfsTree _sys = new();
    private readonly InterfaceCollector _collector;

    public InterfaceCollectorTests() =>
        _collector = new InterfaceCollector(
            Options.Create(new AgentOptions { SysRoot = _sys.Root }), NullLogger<InterfaceCollector>.Instance);

    public void Dispose() => _sys.Dispose();

    [Fact]
    public void Collect_FirstCall_OnlySetsBaseline()
    {
        _sys.SetInterface("eth0", 2, rx: 1000, tx: 500);

        Assert.Empty(Collect());
    }

    [Fact]
    public void Collect_CountersGrew_ReturnsDeltasAndSpeed()
    {
        _sys.SetInterface("eth0", 2, rx: 1000, tx: 500, speed: "10000");
        _sys.SetInterface("lo", 1, rx: 7, tx: 7, speed: "-1");
        Collect();
        _sys.SetInterface("eth0", 2, rx: 1600, tx: 520, speed: "10000");
        _sys.SetInterface("lo", 1, rx: 9, tx: 9, speed: "-1");

        var usage = Collect().ToDictionary(u => u.Name);

        Assert.Equal(new InterfaceUsage("eth0", 600, 20, 600, 20, 600, 20, 600, 20, 10000, Reset: false), usage["eth0"]);
        Assert.Equal(new InterfaceUsage("lo", 2, 2, 2, 2, 2, 2, 2, 2, 0, Reset: false), usage["lo"]);
    }

    [Fact]
    public void Collect_CounterWentBackwards_EmitsResetAndStartsNewBaseline()
    {
        _sys.SetInterface("eth0", 2, rx: 1_000_000, tx: 1_000_000);
        Collect();
        _sys.SetInterface("eth0", 2, rx: 1_000_100, tx: 10);

        var reset = Assert.Single(Collect());
        _sys.SetInterface("eth0", 2, rx: 1_000_150, tx: 40);
        var after = Assert.Single(Collect());

        Assert.Equal(new InterfaceUsage("eth0", 0, 0, 0, 0, 0, 0, 0, 0, 1000, Reset: true), reset);
        Assert.Equal(new InterfaceUsage("eth0", 50, 30, 50, 30, 50, 30, 50, 30, 1000, Reset: false), after);
    }

    [Fact]
    public void Collect_32BitCounterWrapped_CountsThroughTheWrap()
    {
        const ulong wrap = 1UL << 32;
        _sys.SetInterface("eth0", 2, rx: wrap - 1000, tx: wrap - 10);
        Collect();
        _sys.SetInterface("eth0", 2, rx: 500, tx: 20);

        var usage = Assert.Single(Collect());

        Assert.Equal(new InterfaceUsage("eth0", 1500, 30, 1500, 30, 1500, 30, 1500, 30, 1000, Reset: false), usage);
    }

    [Fact]
    public void Collect_BackwardsStepTooLargeForTheLink_IsAResetNotAWrap()
    {
        // 10 Mb/s for 10 s moves at most 12.5 MB; a "wrap" worth 100 MB is a driver reload.
        const ulong wrap = 1UL << 32;
        _sys.SetInterface("eth0", 2, rx: wrap - 100_000_000, tx: 0, speed: "10");
        Collect();
        _sys.SetInterface("eth0", 2, rx: 100, tx: 0, speed: "10");

        var usage = Assert.Single(Collect());

        Assert.True(usage.Reset);
        Assert.Equal(0UL, usage.RxBytes);
    }

    [Fact]
    public void Collect_64BitCounterWentBackwards_IsAReset()
    {
        _sys.SetInterface("eth0", 2, rx: (1UL << 40) + 5, tx: 0);
        Collect();
        _sys.SetInterface("eth0", 2, rx: 7, tx: 0);

        Assert.True(Assert.Single(Collect()).Reset);
    }

    [Theory]
    [InlineData(4_294_967_000UL, 200UL, ulong.MaxValue, true, 496UL)]
    [InlineData(4_294_967_000UL, 200UL, 100UL, false, 0UL)]
    [InlineData(1_000UL, 10UL, ulong.MaxValue, false, 0UL)]
    [InlineData(5_000_000_000UL, 10UL, ulong.MaxValue, false, 0UL)]
    [InlineData(10UL, 4_294_967_296UL, ulong.MaxValue, true, 4_294_967_286UL)]
    public void TryCompute_Steps_WrapOnlyWhenPlausible(ulong before, ulong now, ulong plausible, bool counted, ulong expected)
    {
        Assert.Equal(counted, CounterDelta.TryCompute(before, now, plausible, out var delta));
        Assert.Equal(expected, delta);
    }

    [Fact]
    public void Collect_InterfaceRecreatedWithHigherCounters_EmitsReset()
    {
        _sys.SetInterface("veth1", 10, rx: 100, tx: 100);
        Collect();
        _sys.SetInterface("veth1", 11, rx: 200, tx: 200);

        var usage = Assert.Single(Collect());

        Assert.True(usage.Reset);
        Assert.Equal(0UL, usage.RxBytes);
    }

    [Fact]
    public void Collect_InterfaceVanished_IsForgottenAndReturnsAsNewBaseline()
    {
        _sys.SetInterface("eth0", 2, rx: 100, tx: 100);
        _sys.SetInterface("wg0", 5, rx: 100, tx: 100);
        Collect();
        _sys.RemoveInterface("wg0");
        _sys.SetInterface("eth0", 2, rx: 110, tx: 110);

        var whileGone = Collect();
        _sys.SetInterface("wg0", 5, rx: 50, tx: 50);
        var back = Collect();

        Assert.Equal("eth0", Assert.Single(whileGone).Name);
        Assert.DoesNotContain(back, u => u.Name == "wg0");
    }

    [Fact]
    public void Collect_GarbledStatistic_SkipsOnlyThatInterface()
    {
        _sys.SetInterface("eth0", 2, rx: 100, tx: 100);
        _sys.SetInterface("eth1", 3, rx: 100, tx: 100);
        Collect();
        _sys.SetInterface("eth0", 2, rx: 200, tx: 200);
        _sys.SetInterface("eth1", 3, rx: 200, tx: 200);
        _sys.SetStatistic("eth1", "rx_bytes", "12ab\n");

        var usage = Assert.Single(Collect());

        Assert.Equal("eth0", usage.Name);
        Assert.Equal(100UL, usage.RxBytes);
    }

    [Fact]
    public void Collect_GarbledThenClean_RestartsFromNewBaseline()
    {
        _sys.SetInterface("eth1", 3, rx: 100, tx: 100);
        Collect();
        _sys.SetStatistic("eth1", "tx_packets", "");
        Collect();
        _sys.SetInterface("eth1", 3, rx: 5000, tx: 5000);

        var baseline = Collect();
        _sys.SetInterface("eth1", 3, rx: 5010, tx: 5000);
        var after = Assert.Single(Collect());

        Assert.Empty(baseline);
        Assert.Equal((10UL, 0UL, false), (after.RxBytes, after.TxBytes, after.Reset));
    }

    [Fact]
    public void Collect_MissingStatisticFile_SkipsOnlyThatInterface()
    {
        _sys.SetInterface("eth0", 2, rx: 100, tx: 100);
        _sys.SetInterface("eth1", 3, rx: 100, tx: 100);
        Collect();
        _sys.SetInterface("eth0", 2, rx: 200, tx: 200);
        _sys.RemoveFile("eth1", Path.Combine("statistics", "tx_dropped"));

        Assert.Equal("eth0", Assert.Single(Collect()).Name);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("")]
    [InlineData("fast")]
    public void Collect_UnknownSpeed_ReportsZero(string speed)
    {
        _sys.SetInterface("eth0", 2, rx: 100, tx: 100, speed);
        Collect();
        _sys.SetInterface("eth0", 2, rx: 200, tx: 200, speed);

        Assert.Equal(0U, Assert.Single(Collect()).SpeedMbps);
    }

    [Fact]
    public void Collect_SpeedFileAbsent_ReportsZero()
    {
        _sys.SetInterface("eth0", 2, rx: 100, tx: 100);
        _sys.RemoveFile("eth0", "speed");
        Collect();
        _sys.SetInterface("eth0", 2, rx: 200, tx: 200);
        _sys.RemoveFile("eth0", "speed");

        Assert.Equal(0U, Assert.Single(Collect()).SpeedMbps);
    }

    [Fact]
    public void Collect_NoNetDirectory_ReturnsNothing()
    {
        var collector = new InterfaceCollector(
            Options.Create(new AgentOptions { SysRoot = Path.Combine(_sys.Root, "absent") }),
            NullLogger<InterfaceCollector>.Instance);

        var usage = new List<InterfaceUsage>();
        collector.Collect(usage);

        Assert.Empty(usage);
    }

    private List<InterfaceUsage> Collect()
    {
        var usage = new List<InterfaceUsage>();
        _collector.Collect(usage);
        return usage;
    }
}
