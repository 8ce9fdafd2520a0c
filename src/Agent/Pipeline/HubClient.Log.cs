using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Pipeline;

internal sealed partial class HubClient
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Connecting to hub {HubUrl} ({Queued} batches queued)")]
        public static partial void Connecting(ILogger logger, string hubUrl, int queued);

        [LoggerMessage(2, LogLevel.Warning, "Stream to hub {HubUrl} ended ({Reason}); reconnecting in {DelaySeconds:F1} s")]
        public static partial void Reconnecting(ILogger logger, string hubUrl, string reason, double delaySeconds);

        [LoggerMessage(3, LogLevel.Error, "Hub {HubUrl} refuses this agent ({Reason}): check its enrollment, credentials and configuration; retrying in {DelaySeconds:F0} s")]
        public static partial void Refused(ILogger logger, string hubUrl, string reason, double delaySeconds);

        [LoggerMessage(4, LogLevel.Warning, "Shutting down with {Unsent} batches the hub has not acked; the spool keeps them for the next start (without a spool they are lost)")]
        public static partial void UnsentOnShutdown(ILogger logger, int unsent);
    }
}
