using FleetNet.Agent.Cgroups;
using FleetNet.Agent.Conntrack;
using FleetNet.Agent.Interfaces;
using FleetNet.Agent.Pipeline;
using FleetNet.Agent.Unattributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Hosting;

/// <summary>Registers the agent: options, collectors, the sampling pipeline and the hub client.</summary>
internal static class AgentServiceCollectionExtensions
{
    /// <summary>Adds the agent, its <see cref="AgentOptions"/> bound from the root of <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddFleetNetAgent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AgentOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(static sp => HostIdentity.Read(Options(sp)));
        services.AddSingleton(static sp => AgentEpoch.After(sp.GetRequiredService<Outbox>().RecoveredMaxEpoch, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(ProcessSourceHolder.FromServices);
        services.AddSingleton<InterfaceCollector>();
        services.AddSingleton<CgroupResolver>();
        services.AddSingleton<CgroupInfoWriter>();
        services.AddSingleton<UnattributedCalculator>();
        services.AddSingleton<ConntrackCollector>();
        services.AddSingleton<BatchBuilder>();
        services.AddSingleton(static sp => OutboxFactory.Create(Options(sp), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(static _ => ReconnectBackoff.CreateDefault());
        services.AddSingleton<HubStatistics>();

        // Hosted services stop in reverse order: the sampler queues its final batch before the client drains.
        services.AddHostedService<HubClient>();
        services.AddHostedService<Sampler>();
        return services;
    }

    private static AgentOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<AgentOptions>>().Value;
}
