using FleetNet.Protocol.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace FleetNet.Hub.Tests.Ingest;

/// <summary>Opens an ingest stream, says Hello, and sends messages one at a time waiting for each ack.</summary>
internal sealed class IngestClient : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<AgentMessage, HubMessage> _call;

    private IngestClient(AsyncDuplexStreamingCall<AgentMessage, HubMessage> call) => _call = call;

    public static async Task<IngestClient> ConnectAsync(GrpcChannel channel, Hello hello, string? secret = null)
    {
        var call = new Protocol.V1.Ingest.IngestClient(channel).Stream(secret is null ? null : new Metadata { { "authorization", $"Bearer {secret}" } });
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

    /// <summary>Waits for the hub to end the stream; returns the status it ended it with.</summary>
    public async Task<RpcException> WaitForEndAsync()
    {
        try
        {
            while (await _call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }
        catch (RpcException e)
        {
            return e;
        }

        throw new InvalidOperationException("the stream ended without an error status");
    }

    private async Task<HubMessage> ReadAsync()
    {
        Assert.True(await _call.ResponseStream.MoveNext(CancellationToken.None), "the hub closed the stream");
        return _call.ResponseStream.Current;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _call.RequestStream.CompleteAsync();
            while (await _call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }
        catch (RpcException)
        {
            // Ended by the hub already (refused, revoked); the test asserted that.
        }
        catch (InvalidOperationException)
        {
            // The call already completed.
        }

        _call.Dispose();
    }
}
