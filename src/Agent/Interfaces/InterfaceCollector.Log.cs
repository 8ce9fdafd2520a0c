using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Interfaces;

internal sealed partial class InterfaceCollector
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Cannot list network interfaces under {Path}: {Reason}")]
        public static partial void NetRootUnreadable(ILogger logger, string path, string reason);

        [LoggerMessage(2, LogLevel.Warning, "Interface {Name} has unreadable or garbled counters; skipping it until they read cleanly")]
        public static partial void InterfaceUnreadable(ILogger logger, string name);
    }
}
