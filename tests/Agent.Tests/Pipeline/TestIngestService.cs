using FleetNet.Protocol.V1;
using Grpc.Core;

namespace FleetNet.Agent.Tests.Pipeline;

/// <summary>The test hub's Ingest implementation: records everything, answers as <see cref="TestIngestState.Answer"/> says.</summary>
internal sealed class TestIngestService(TestIngestState state) : Ingest.IngestBase
{
    public override async Task Stream(
        IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<HubMessage> responseStream, ServerCallContext context)
    {
        var stream = state.OpenStream();
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            var message = requestStream.Current;
            state.Record(stream, message);
            if (message.KindCase == AgentMessage.KindOneofCase.Hello)
            {
                await responseStream.WriteAsync(new HubMessage { Welcome = new Welcome { HostId = 1 } });
                continue;
            }

            var batch = Batch.Parser.ParseFrom(message.Batch);
            var answer = state.Answer(stream, batch) ?? HubAnswer.Store;
            var ack = new Ack { Epoch = batch.Epoch, Seq = batch.Seq };
            switch (answer)
            {
                case HubAnswer.BreakStream:
                    throw new RpcException(new Status(StatusCode.Unavailable, "test hub dropped the stream"));
                case HubAnswer.Reject:
                    ack.Code = (int)StatusCode.InvalidArgument;
                    ack.Message = "test hub refuses this batch";
                    break;
                case HubAnswer.StoreWithoutAck:
                    state.Store(batch);
                    continue;
                default:
                    ack.Duplicate = state.Store(batch);
                    break;
            }

            await responseStream.WriteAsync(new HubMessage { Ack = ack });
        }
    }
}
