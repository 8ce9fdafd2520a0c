using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Hosting;

/// <summary>
/// Starts the per-process source (loads eBPF) first thing, before the host is built. libbpf reads the
/// kernel's BTF (5.5 MB on this kernel) and holds it twice for a moment while loading; done this early
/// that moment comes before the host has touched most of the binary and the heap, which takes about
/// 10 MiB off the agent's peak RSS. Its log lines are kept and written once the host's loggers exist.
/// </summary>
internal sealed class EarlyProcessSource(ProcessSourceHolder holder, StartupLoggerFactory loggers)
{
    /// <summary>
    /// The started source, or null when the configuration does not bind or validate; then the host
    /// starts the source itself and reports the bad setting as usual.
    /// </summary>
    public static EarlyProcessSource? TryStart(IConfiguration configuration)
    {
        AgentOptions options;
        try
        {
            options = configuration.Get<AgentOptions>() ?? new AgentOptions();
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        if (new AgentOptionsValidator().Validate(null, options).Failed)
        {
            return null;
        }

        var startupLoggers = new StartupLoggerFactory();
        return new EarlyProcessSource(ProcessSourceHolder.Start(options, startupLoggers), startupLoggers);
    }

    /// <summary>Hands the source to the host: its kept log lines go to <paramref name="hostLoggers"/>.</summary>
    public ProcessSourceHolder Adopt(ILoggerFactory hostLoggers)
    {
        loggers.Forward(hostLoggers);
        return holder;
    }
}
