using FleetNet.Agent.Interfaces;
using FleetNet.Agent.Pipeline;
using FleetNet.Agent.Processes;
using FleetNet.Agent.Unattributed;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Tests.Unattributed;

public sealed class UnattributedCalculatorTests : IDisposable
{
    private readonly string _sys = Directory.CreateTempSubdirectory("fleetnet-unattr-").FullName;
    private readonly UnattributedCalculator _calculator;

    public UnattributedCalculatorTests()
    {
        foreach (var name in (string[])["lo", "eth0", "br0", "veth1"])
        {
            Directory.CreateDirectory(Path.Combine(_sys, "class", "net", name));
        }

        // veth1 is a bridge port: its bytes are counted again on br0.
        Directory.CreateSymbolicLink(Path.Combine(_sys, "class", "net", "veth1", "master"), Path.Combine(_sys, "class", "net", "br0"));
        _calculator = new UnattributedCalculator(Options.Create(new AgentOptions { SysRoot = _sys }));
    }

    public void Dispose() => Directory.Delete(_sys, recursive: true);

    [Fact]
    public void Compute_LoopbackExchangeFullyAttributed_NoGap()
    {
        // A sends 1000 bytes to B over lo: lo counts 1000 tx and 1000 rx; A is credited tx, B rx.
        var usage = _calculator.Compute([Interface("lo", rx: 1000, tx: 1000)], [Process(1, tx: 1000, rx: 0), Process(2, tx: 0, rx: 1000)]);

        Assert.Equal((0UL, 0UL), (usage.RxBytes, usage.TxBytes));
        Assert.Equal((1000UL, 1000UL), (usage.InterfaceRxBytes, usage.AttributedRxBytes));
    }

    [Fact]
    public void Compute_PhysicalTrafficPartlyAttributed_GapIsTheRest()
    {
        var usage = _calculator.Compute(
            [Interface("lo", 500, 500), Interface("eth0", rx: 10_000, tx: 4_000)],
            [Process(1, tx: 500, rx: 500), Process(2, tx: 3_000, rx: 9_000)]);

        Assert.Equal((1_000UL, 1_000UL), (usage.RxBytes, usage.TxBytes));
        Assert.Equal(usage.InterfaceRxBytes, usage.AttributedRxBytes + usage.RxBytes); // it adds up
    }

    [Fact]
    public void Compute_BridgePortAndResetSample_NotCountedTwice()
    {
        var usage = _calculator.Compute(
            [Interface("br0", rx: 2_000, tx: 0), Interface("veth1", rx: 0, tx: 2_000), Interface("eth0", 7, 7, reset: true)],
            []);

        Assert.Equal((2_000UL, 0UL), (usage.InterfaceRxBytes, usage.InterfaceTxBytes));
    }

    [Fact]
    public void Compute_MoreAttributedThanSeen_NeverNegative()
    {
        var usage = _calculator.Compute([Interface("eth0", 10, 10)], [Process(1, tx: 50, rx: 50)]);

        Assert.Equal((0UL, 0UL), (usage.RxBytes, usage.TxBytes));
    }

    [Fact]
    public void Build_WithCalculator_OneUnattributedSampleWithItsParts()
    {
        var builder = new BatchBuilder(new AgentEpoch(1), unattributed: _calculator);

        var batch = Batch.Parser.ParseFrom(builder.Encode(0, 10_000, [Interface("eth0", rx: 900, tx: 100)], [Process(1, tx: 60, rx: 800)], [], new Drops()));

        var sample = Assert.Single(batch.Unattributed);
        Assert.Equal((100UL, 40UL), (sample.RxBytes, sample.TxBytes));
        Assert.Equal((900UL, 100UL, 800UL, 60UL), (sample.InterfaceRxBytes, sample.InterfaceTxBytes, sample.AttributedRxBytes, sample.AttributedTxBytes));
        Assert.Equal(10_000U, sample.IntervalMs);
    }

    private static InterfaceUsage Interface(string name, ulong rx, ulong tx, bool reset = false) =>
        new(name, rx, tx, 1, 1, 0, 0, 0, 0, 0, reset);

    private static ProcessUsage Process(uint pid, ulong tx, ulong rx) =>
        new(pid, 1000, "p", "/bin/p", "p", "/", 1, 0, IpProtocol.Tcp, tx, rx, 1, 1);
}
