using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Pipeline;

internal sealed partial class HubSession
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Hub welcomed this agent as host {HostId}")]
        public static partial void Welcomed(ILogger logger, long hostId);

        [LoggerMessage(2, LogLevel.Debug, "Hub closed the stream")]
        public static partial void HubClosedStream(ILogger logger);

        [LoggerMessage(3, LogLevel.Debug, "Ignoring an ack for epoch {Epoch} seq {Seq}, which is not in flight (current epoch {CurrentEpoch})")]
        public static partial void AckNotInFlight(ILogger logger, ulong epoch, ulong seq, ulong currentEpoch);

        [LoggerMessage(4, LogLevel.Error, "Hub refused batch (epoch {Epoch}, seq {Seq}) as invalid; set aside in the spool's rejected folder: {Reason}")]
        public static partial void BatchRejected(ILogger logger, ulong epoch, ulong seq, string reason);

        [LoggerMessage(5, LogLevel.Warning, "Hub could not store batch {Seq} ({Code}: {Reason}); reconnecting to send it again")]
        public static partial void BatchNotStored(ILogger logger, ulong seq, StatusCode code, string reason);
    }
}
