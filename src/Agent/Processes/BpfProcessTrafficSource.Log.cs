using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Processes;

internal sealed partial class BpfProcessTrafficSource
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Per-process traffic via eBPF tracepoints unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Per-process traffic via {Mechanism} sock_send_length/sock_recv_length, map of {MaxEntries} entries (libbpf {LibbpfVersion})")]
    private static partial void LogStarted(ILogger logger, string mechanism, int maxEntries, string? libbpfVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peers of unconnected UDP sockets will show as 0.0.0.0:0 (cgroup sendmsg/recvmsg hooks left out): {Reason}")]
    private static partial void LogUdpPeersUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading a BPF map failed (errno {Errno}); using the entries read so far")]
    private static partial void LogSnapshotFailed(ILogger logger, int errno);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moving the per-socket TCP counters into the maps failed (errno {Errno}); TCP calls go to the maps directly from now on")]
    private static partial void LogSocketFlushFailed(ILogger logger, int errno);
}
