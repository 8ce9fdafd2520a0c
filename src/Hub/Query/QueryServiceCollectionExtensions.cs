using FleetNet.Hub.Query;

namespace Microsoft.Extensions.DependencyInjection;

internal static class QueryServiceCollectionExtensions
{
    /// <summary>The queries behind both the REST and the gRPC API.</summary>
    public static IHostApplicationBuilder AddFleetNetQueries(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TopProcessesQuery>();
        builder.Services.AddSingleton<TopQuery>();
        builder.Services.AddSingleton<TimelineQuery>();
        builder.Services.AddSingleton<HostsQuery>();
        return builder;
    }
}
