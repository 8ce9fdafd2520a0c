using System.Net.Http;
using System.Net.Sockets;
using FleetNet.Agent.Pipeline;
using Grpc.Core;

namespace FleetNet.Agent.Tests.Pipeline;

public sealed class HubClientFailureTests
{
    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.Aborted)]
    public void Classify_TransientStatus_IsRetryable(StatusCode code) =>
        Assert.Equal(HubClientFailureKind.Retryable, HubClientFailure.Classify(new RpcException(new Status(code, "x"))).Kind);

    [Theory]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.InvalidArgument)]
    public void Classify_IdentityOrHelloRefused_IsRefused(StatusCode code) =>
        Assert.Equal(HubClientFailureKind.Refused, HubClientFailure.Classify(new RpcException(new Status(code, "revoked"))).Kind);

    [Fact]
    public void Classify_NetworkError_IsRetryable()
    {
        var failure = HubClientFailure.Classify(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.Equal(HubClientFailureKind.Retryable, failure.Kind);
    }

    [Fact]
    public void Classify_ResourceExhaustedWithPushback_IsThrottledForThatLong()
    {
        var trailers = new Metadata { { HubClientFailure.PushbackTrailer, "7500" } };

        var failure = HubClientFailure.Classify(new RpcException(new Status(StatusCode.ResourceExhausted, "rate limit"), trailers));

        Assert.Equal((HubClientFailureKind.Throttled, TimeSpan.FromMilliseconds(7500)), (failure.Kind, failure.Pushback));
    }

    [Fact]
    public void PushbackOf_ThrottledAckWithRetryHint_BecomesThePushbackTheClientHonours()
    {
        var ack = new FleetNet.Protocol.V1.Ack
        {
            Code = (int)StatusCode.ResourceExhausted,
            Message = "rate limit: this agent sends more batches than allowed; retry after 2500 ms",
        };

        var failure = HubClientFailure.Classify(new RpcException(new Status(StatusCode.ResourceExhausted, ack.Message), HubSession.PushbackOf(ack)));

        Assert.Equal((HubClientFailureKind.Throttled, TimeSpan.FromMilliseconds(2500)), (failure.Kind, failure.Pushback));
    }

    [Fact]
    public void Classify_ResourceExhaustedWithGarbledPushback_IsThrottledWithoutHint()
    {
        var trailers = new Metadata { { HubClientFailure.PushbackTrailer, "-1" } };

        var failure = HubClientFailure.Classify(new RpcException(new Status(StatusCode.ResourceExhausted, "rate limit"), trailers));

        Assert.Equal((HubClientFailureKind.Throttled, TimeSpan.Zero), (failure.Kind, failure.Pushback));
    }
}
