using System.Globalization;
using Grpc.Core;

namespace FleetNet.Agent.Pipeline;

/// <summary>Why a session ended and how long to wait at least before the next one.</summary>
internal sealed record HubClientFailure(HubClientFailureKind Kind, string Reason, TimeSpan Pushback)
{
    /// <summary>The trailer in which a gRPC server asks clients to wait (gRPC retry design, A6).</summary>
    public const string PushbackTrailer = "grpc-retry-pushback-ms";

    /// <summary>Classifies what ended a session: an exception, or null when the hub just closed the stream.</summary>
    public static HubClientFailure Classify(Exception? exception)
    {
        if (exception is not RpcException rpc)
        {
            // Connection refused, reset, TLS or DNS failure, or a clean close: the network's business.
            return new HubClientFailure(HubClientFailureKind.Retryable, exception?.Message ?? "stream closed", TimeSpan.Zero);
        }

        var reason = $"{rpc.StatusCode}: {rpc.Status.Detail}";
        return rpc.StatusCode switch
        {
            StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument
                or StatusCode.FailedPrecondition or StatusCode.Unimplemented
                => new HubClientFailure(HubClientFailureKind.Refused, reason, TimeSpan.Zero),
            StatusCode.ResourceExhausted => new HubClientFailure(HubClientFailureKind.Throttled, reason, ReadPushback(rpc)),
            _ => new HubClientFailure(HubClientFailureKind.Retryable, reason, TimeSpan.Zero),
        };
    }

    private static TimeSpan ReadPushback(RpcException rpc)
    {
        var value = rpc.Trailers.GetValue(PushbackTrailer);
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(Math.Min(ms, 3_600_000))
            : TimeSpan.Zero;
    }
}
