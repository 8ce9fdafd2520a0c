using FleetNet.Hub.Agents;

namespace Microsoft.Extensions.DependencyInjection;

internal static class AgentsServiceCollectionExtensions
{
    /// <summary>Per-agent delivery accounting and its API.</summary>
    public static IHostApplicationBuilder AddFleetNetAgents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DeliveryRecorder>();
        builder.Services.AddSingleton<AgentsQuery>();
        return builder;
    }
}
