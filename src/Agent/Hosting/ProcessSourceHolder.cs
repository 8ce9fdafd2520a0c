using FleetNet.Agent.Processes;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Hosting;

/// <summary>
/// Owns the best per-process traffic source this host allows, or none (interfaces only);
/// disposed with the container.
/// </summary>
internal sealed partial class ProcessSourceHolder(IProcessTrafficSource? source) : IDisposable
{
    /// <summary>The running source, or null when the host reports interfaces only.</summary>
    public IProcessTrafficSource? Source => source;

    /// <summary>The fidelity reported in Hello.</summary>
    public Fidelity Fidelity => source?.Fidelity ?? Fidelity.InterfacesOnly;

    /// <summary>The source <see cref="EarlyProcessSource"/> started before the host was built, else a new one.</summary>
    public static ProcessSourceHolder FromServices(IServiceProvider services)
    {
        var loggers = services.GetRequiredService<ILoggerFactory>();
        return services.GetService<EarlyProcessSource>()?.Adopt(loggers)
            ?? Start(services.GetRequiredService<IOptions<AgentOptions>>().Value, loggers);
    }

    /// <summary>Starts the best source the kernel allows and says which one, or why none.</summary>
    public static ProcessSourceHolder Start(AgentOptions options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger<ProcessSourceHolder>();
        var started = TryStart(options, loggers, out var reason);
        if (started is null)
        {
            Log.InterfacesOnly(logger, reason);
        }
        else
        {
            Log.Started(logger, started.Mechanism, started.Fidelity);
        }

        return new ProcessSourceHolder(started);
    }

    public void Dispose() => source?.Dispose();

    private static IProcessTrafficSource? TryStart(AgentOptions options, ILoggerFactory loggers, out string reason) =>
        FidelityLevels.FidelityChain.Start(options, loggers, out reason);
}
