using FleetNet.Agent.Processes;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.FidelityLevels;

/// <summary>Level 4 of the fidelity chain: sock_diag + /proc polling, no BPF (not in this build yet).</summary>
internal static class SockDiagTrafficSource
{
    public static bool TryStart(AgentOptions options, ILoggerFactory loggers, out IProcessTrafficSource? source, out string reason)
    {
        source = null;
        reason = "sock_diag polling is not implemented yet";
        return false;
    }
}
