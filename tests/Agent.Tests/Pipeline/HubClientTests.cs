using FleetNet.Agent.Hosting;
using FleetNet.Agent.Interfaces;
using FleetNet.Agent.Pipeline;
using FleetNet.Protocol.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FleetNet.Agent.Tests.Pipeline;

public sealed class HubClientTests : IAsyncLifetime
{
    private const ulong Epoch = 1_764_072_000_000;

    private readonly Outbox _outbox = new(capacity: 100);
    private readonly HubStatistics _statistics = new();
    private readonly BatchBuilder _builder = new(new AgentEpoch(Epoch));
    private readonly FakeTimeProvider _time = new();
    private TestIngestHub _hub = null!;

    public async Task InitializeAsync() => _hub = await TestIngestHub.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Run_HubAcksEverything_SendsHelloFirstThenBatchesInOrderAndReleasesThem()
    {
        Enqueue(5);

        await RunUntilOutboxEmptyAsync();

        var stream = Assert.Single(_hub.State.Streams);
        var hello = stream[0].Hello;
        Assert.NotNull(hello);
        Assert.Equal(("web-01", "machine", "boot", "6.8.0", "1.2.3"), (hello.HostName, hello.MachineId, hello.BootId, hello.Kernel, hello.AgentVersion));
        Assert.Equal(Epoch, hello.Epoch);
        Assert.Equal(Fidelity.InterfacesOnly, hello.Fidelity);
        Assert.Equal(["interfaces"], hello.Collectors);
        Assert.Equal("web", hello.Labels["role"]);
        Assert.Equal([1UL, 2, 3, 4, 5], SeqsOf(stream));
        Assert.Equal(5, _statistics.Stored);
    }

    [Fact]
    public async Task Run_StreamBreaksMidway_ResendsEveryUnackedBatchInOrderAfterReconnect()
    {
        Enqueue(6);
        // Stream 0: store and ack 1-2, store 3 but lose its ack, then fail on 4.
        _hub.State.Answer = (stream, batch) => (stream, batch.Seq) switch
        {
            (0, 3) => HubAnswer.StoreWithoutAck,
            (0, >= 4) => HubAnswer.BreakStream,
            _ => null,
        };

        await RunUntilOutboxEmptyAsync();

        var streams = _hub.State.Streams;
        Assert.Equal(2, streams.Count);
        Assert.Equal(AgentMessage.KindOneofCase.Hello, streams[1][0].KindCase);
        Assert.Equal([3UL, 4, 5, 6], SeqsOf(streams[1]));
        Assert.Equal(Enumerable.Range(1, 6).Select(seq => (Epoch, (ulong)seq)).ToHashSet(), _hub.State.Stores.Keys.ToHashSet());
        Assert.All(_hub.State.Stores.Values, writes => Assert.Equal(1, writes));
        Assert.Equal(1, _statistics.Duplicates);
        Assert.Equal(5, _statistics.Stored);
    }

    [Fact]
    public async Task Run_HubRejectsOneBatchAsInvalid_DropsOnlyThatBatchAndKeepsStreaming()
    {
        Enqueue(4);
        _hub.State.Answer = (_, batch) => batch.Seq == 2 ? HubAnswer.Reject : null;

        await RunUntilOutboxEmptyAsync();

        Assert.Single(_hub.State.Streams);
        Assert.Equal([(Epoch, 1UL), (Epoch, 3UL), (Epoch, 4UL)], _hub.State.Stores.Keys.Order());
        Assert.Equal(1, _statistics.Rejected);
        Assert.Equal(1, _statistics.Sessions);
    }

    [Fact]
    public async Task Run_BatchEnqueuedWhileConnected_IsSentOnTheOpenStream()
    {
        Enqueue(1);
        using var client = CreateClient();
        await client.StartAsync(TestTimeout.Token);
        await _outbox.WaitEmptyAsync(TestTimeout.Token);

        Enqueue(1);
        await _outbox.WaitEmptyAsync(TestTimeout.Token);
        await client.StopAsync(TestTimeout.Token);

        Assert.Equal([1UL, 2], SeqsOf(Assert.Single(_hub.State.Streams)));
    }

    [Fact]
    public async Task StopAsync_HubStopsAcking_WaitsForDrainTimeoutThenStops()
    {
        Enqueue(1);
        using var client = CreateClient();
        await client.StartAsync(TestTimeout.Token);
        await _outbox.WaitEmptyAsync(TestTimeout.Token);
        _hub.State.Answer = (_, _) => HubAnswer.StoreWithoutAck;
        Enqueue(1);

        var stopping = client.StopAsync(TestTimeout.Token);
        Assert.False(stopping.IsCompleted);
        _time.Advance(HubClient.DrainTimeout);
        await stopping;

        Assert.Equal(1, _outbox.Count);
    }

    private async Task RunUntilOutboxEmptyAsync()
    {
        using var client = CreateClient();
        await client.StartAsync(TestTimeout.Token);
        await _outbox.WaitEmptyAsync(TestTimeout.Token);
        await client.StopAsync(TestTimeout.Token);
    }

    private HubClient CreateClient()
    {
        var options = new AgentOptions { HubUrl = _hub.Url, Labels = { ["role"] = "web" } };
        return new HubClient(
            Options.Create(options),
            new HostIdentity("web-01", "machine", "boot", "6.8.0", "1.2.3"),
            new ProcessSourceHolder(null),
            new AgentEpoch(Epoch),
            _outbox,
            new ReconnectBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), new ZeroRandom()),
            _statistics,
            _time,
            NullLogger<HubClient>.Instance);
    }

    private void Enqueue(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var payload = _builder.Encode(0, 10_000, [new InterfaceUsage("eth0", 1, 1, 1, 1, 0, 0, 0, 0, 0, false)], [], [], new Drops());
            _outbox.Enqueue(new OutboxEntry(_builder.LastSeq, payload));
        }
    }

    private static List<ulong> SeqsOf(List<AgentMessage> stream) =>
        stream.Where(m => m.KindCase == AgentMessage.KindOneofCase.Batch)
            .Select(m => Batch.Parser.ParseFrom(m.Batch).Seq)
            .ToList();
}
