using System.Threading.Channels;
using FleetNet.Protocol.V1;
using Grpc.Core;

namespace FleetNet.Agent.Tests.Pipeline;

/// <summary>
/// An in-memory Ingest.Stream: writes complete at once and are recorded, responses are whatever the test
/// pushes. With no I/O in the way, everything the agent can send without waiting for an ack is sent
/// synchronously, which makes "how much does it send before an ack" a deterministic question.
/// </summary>
internal sealed class FakeIngestCallInvoker : CallInvoker
{
    private readonly Channel<HubMessage> _responses = Channel.CreateUnbounded<HubMessage>();

    public List<AgentMessage> Sent { get; } = [];

    public void Respond(HubMessage message) => _responses.Writer.TryWrite(message);

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var requests = new Writer(Sent);
        var responses = new Reader(_responses.Reader);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            (IClientStreamWriter<TRequest>)(object)requests,
            (IAsyncStreamReader<TResponse>)(object)responses,
            Task.FromResult(new Metadata()),
            () => Status.DefaultSuccess,
            () => [],
            () => { });
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    private sealed class Writer(List<AgentMessage> sent) : IClientStreamWriter<AgentMessage>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(AgentMessage message)
        {
            lock (sent)
            {
                sent.Add(message);
            }

            return Task.CompletedTask;
        }

        public Task WriteAsync(AgentMessage message, CancellationToken cancellationToken) => WriteAsync(message);

        public Task CompleteAsync() => Task.CompletedTask;
    }

    private sealed class Reader(ChannelReader<HubMessage> responses) : IAsyncStreamReader<HubMessage>
    {
        public HubMessage Current { get; private set; } = null!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await responses.WaitToReadAsync(cancellationToken))
            {
                return false;
            }

            Current = await responses.ReadAsync(cancellationToken);
            return true;
        }
    }
}
