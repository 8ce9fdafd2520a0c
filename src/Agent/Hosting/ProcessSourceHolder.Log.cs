using FleetNet.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Hosting;

internal sealed partial class ProcessSourceHolder
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Per-process traffic via {Mechanism} ({Fidelity})")]
        public static partial void Started(ILogger logger, string mechanism, Fidelity fidelity);

        [LoggerMessage(2, LogLevel.Warning, "Per-process traffic unavailable, reporting interfaces only: {Reason}")]
        public static partial void InterfacesOnly(ILogger logger, string reason);
    }
}
