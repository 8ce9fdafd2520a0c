using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Pipeline;

internal sealed partial class Sampler
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Sampling every {IntervalSeconds} s")]
        public static partial void Started(ILogger logger, int intervalSeconds);

        [LoggerMessage(2, LogLevel.Debug, "Batch {Seq}: {Interfaces} interface and {Processes} process samples")]
        public static partial void Sampled(ILogger logger, ulong seq, int interfaces, int processes);

        [LoggerMessage(3, LogLevel.Error, "Collector {Collector} failed; its samples are missing from this interval")]
        public static partial void CollectorFailed(ILogger logger, string collector, Exception exception);
    }
}
