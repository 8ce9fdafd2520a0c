using FleetNet.Protocol.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace FleetNet.Hub.Tests.Ingest;

/// <summary>Opens an ingest stream, says Hello, and sends messages one at a time waiting for each ack.</summary>
internal sealed class IngestClient : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<AgentMessage, HubMessage> _call;

    private IngestClient(AsyncDuplexStreamingCall<AgentMessage, HubMessage> call) => _call = call;

    public static async Task<IngestClient> ConnectAsync(GrpcChannel channel, Hello hello)
    {
        var call = new Protocol.V1.Ingest.IngestClient(channel).Stream();
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = hello });
        var client = new IngestClient(call);
        var welcome = await client.ReadAsync();
        Assert.Equal(HubMessage.KindOneofCase.Welcome, welcome.KindCase);
        return client;
    }

    public async Task<Ack> SendAsync(AgentMessage message)
    {
        await _call.RequestStream.WriteAsync(message);
        return (await ReadAsync()).Ack;
    }

    public Task<Ack> SendAsync(Batch batch) => SendAsync(TestBatches.Message(batch));

    private async Task<HubMessage> ReadAsync()
    {
        Assert.True(await _call.ResponseStream.MoveNext(CancellationToken.None), "the hub closed the stream");
        return _call.ResponseStream.Current;
    }

    public async ValueTask DisposeAsync()
    {
        await _call.RequestStream.CompleteAsync();
        while (await _call.ResponseStream.MoveNext(CancellationToken.None))
        {
        }

        _call.Dispose();
    }
}
