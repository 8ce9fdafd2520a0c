using FleetNet.Agent.Processes;
using Microsoft.Extensions.Logging;
using FidelityLevel = FleetNet.Protocol.V1.Fidelity;

namespace FleetNet.Agent.FidelityLevels;

/// <summary>
/// Starts the best per-process traffic source the kernel allows, trying the levels best first (or only
/// the one <see cref="AgentOptions.Fidelity"/> forces) and logging why each skipped level failed.
/// </summary>
internal static partial class FidelityChain
{
    private static readonly FidelityLevel[] s_order =
    [
        FidelityLevel.BtfTracepoint, FidelityLevel.RawTracepoint, FidelityLevel.CgroupSkb, FidelityLevel.SockDiag,
    ];

    /// <summary>Parses the configured name; null for "auto".</summary>
    public static FidelityLevel? Parse(string name) => name switch
    {
        "btf_tracepoint" => FidelityLevel.BtfTracepoint,
        "raw_tracepoint" => FidelityLevel.RawTracepoint,
        "cgroup_skb" => FidelityLevel.CgroupSkb,
        "sock_diag" => FidelityLevel.SockDiag,
        "interfaces_only" => FidelityLevel.InterfacesOnly,
        _ => null,
    };

    /// <summary>The running source, or null (interfaces only) with the reason of the last failure.</summary>
    public static IProcessTrafficSource? Start(AgentOptions options, ILoggerFactory loggers, out string reason)
    {
        var logger = loggers.CreateLogger(typeof(FidelityChain).FullName!);
        var forced = Parse(options.Fidelity);
        if (forced == FidelityLevel.InterfacesOnly)
        {
            reason = "fidelity forced to interfaces_only";
            return null;
        }

        reason = "";
        foreach (var level in s_order)
        {
            if (forced is { } only && only != level)
            {
                continue;
            }

            if (TryStart(level, options, loggers, out var source, out var why) && source is not null)
            {
                return source;
            }

            reason = Name(level) + ": " + why;
            LogLevelSkipped(logger, Name(level), why);
        }

        return null;
    }

    public static string Name(FidelityLevel level) => level switch
    {
        FidelityLevel.BtfTracepoint => "btf_tracepoint",
        FidelityLevel.RawTracepoint => "raw_tracepoint",
        FidelityLevel.CgroupSkb => "cgroup_skb",
        FidelityLevel.SockDiag => "sock_diag",
        _ => "interfaces_only",
    };

    private static bool TryStart(FidelityLevel level, AgentOptions options, ILoggerFactory loggers, out IProcessTrafficSource? source, out string reason) => level switch
    {
        FidelityLevel.BtfTracepoint or FidelityLevel.RawTracepoint => BpfProcessTrafficSource.TryStart(options, level, loggers, out source, out reason),
        FidelityLevel.CgroupSkb => CgroupSkbTrafficSource.TryStart(options, loggers, out source, out reason),
        _ => SockDiagTrafficSource.TryStart(options, loggers, out source, out reason),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fidelity level {Level} skipped: {Reason}")]
    private static partial void LogLevelSkipped(ILogger logger, string level, string reason);
}
