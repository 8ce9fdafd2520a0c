using FleetNet.Agent.Hosting;
using FleetNet.Agent.Interfaces;
using FleetNet.Agent.Pipeline;
using FleetNet.Agent.Processes;
using FleetNet.Agent.Tests.Interfaces;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FleetNet.Agent.Tests.Pipeline;

public sealed class SamplerTests : IDisposable
{
    private const long StartMs = 1_764_072_000_000;

    private readonly SysfsTree _sys = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(StartMs));
    private readonly FakeProcessSource _processes = new();

    public void Dispose() => _sys.Dispose();

    [Fact]
    public async Task Tick_OneInterval_EnqueuesBatchWithInterfaceAndProcessDeltas()
    {
        _sys.SetInterface("eth0", 2, rx: 1000, tx: 1000);
        var outbox = new Outbox(capacity: 10);
        using var sampler = CreateSampler(outbox);
        await sampler.StartAsync(TestTimeout.Token);

        _sys.SetInterface("eth0", 2, rx: 1500, tx: 1100);
        _processes.Pending.Add(new ProcessUsage(7, StartMs - 5000, "curl", "/usr/bin/curl", "curl x", "", 1, 0, IpProtocol.Tcp, 10, 20, 1, 2));
        _processes.MapFull = 4;
        _time.Advance(TimeSpan.FromSeconds(10));
        var batch = Decode(await outbox.WaitNextAfterAsync(0, TestTimeout.Token));
        await sampler.StopAsync(TestTimeout.Token);

        Assert.Equal((7UL, 1UL), (batch.Epoch, batch.Seq));
        Assert.Equal((StartMs, StartMs + 10_000), (batch.StartUnixMs, batch.EndUnixMs));
        var eth0 = Assert.Single(batch.Interfaces);
        Assert.Equal((500UL, 100UL, false), (eth0.RxBytes, eth0.TxBytes, eth0.Reset));
        Assert.Equal("curl", batch.Strings[(int)Assert.Single(batch.Processes).Comm]);
        Assert.Equal(4UL, batch.Drops.MapFull);
    }

    [Fact]
    public async Task StopAsync_MidInterval_EnqueuesFinalPartialBatch()
    {
        _sys.SetInterface("eth0", 2, rx: 0, tx: 0);
        var outbox = new Outbox(capacity: 10);
        using var sampler = CreateSampler(outbox);
        await sampler.StartAsync(TestTimeout.Token);
        _time.Advance(TimeSpan.FromSeconds(10));
        await outbox.WaitNextAfterAsync(0, TestTimeout.Token);

        _sys.SetInterface("eth0", 2, rx: 42, tx: 0);
        _time.Advance(TimeSpan.FromSeconds(4));
        await sampler.StopAsync(TestTimeout.Token);

        Assert.True(outbox.TryGetNextAfter(1, out var last));
        var batch = Decode(last);
        Assert.Equal(2UL, batch.Seq);
        Assert.Equal((StartMs + 10_000, StartMs + 14_000), (batch.StartUnixMs, batch.EndUnixMs));
        Assert.Equal(42UL, Assert.Single(batch.Interfaces).RxBytes);
    }

    [Fact]
    public async Task Tick_OutboxFull_NextBatchReportsQueueDropped()
    {
        _sys.SetInterface("eth0", 2, rx: 0, tx: 0);
        var outbox = new Outbox(capacity: 1);
        using var sampler = CreateSampler(outbox);
        await sampler.StartAsync(TestTimeout.Token);

        var drops = new List<ulong>();
        for (var seq = 1UL; seq <= 4; seq++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            drops.Add(Decode(await outbox.WaitNextAfterAsync(seq - 1, TestTimeout.Token)).Drops.QueueDropped);
        }

        await sampler.StopAsync(TestTimeout.Token);

        // Batch 2's enqueue drops batch 1, which batch 3 reports; and so on.
        Assert.Equal([0UL, 0, 1, 1], drops);
        Assert.Equal(4UL, outbox.DroppedTotal);
    }

    private Sampler CreateSampler(Outbox outbox)
    {
        var options = Options.Create(new AgentOptions { SysRoot = _sys.Root, IntervalSeconds = 10 });
        return new Sampler(
            options,
            new InterfaceCollector(options, NullLogger<InterfaceCollector>.Instance),
            new ProcessSourceHolder(_processes),
            new BatchBuilder(new AgentEpoch(7)),
            outbox,
            _time,
            NullLogger<Sampler>.Instance);
    }

    private static Batch Decode(OutboxEntry entry) => Batch.Parser.ParseFrom(entry.Payload);
}
