using FleetNet.Hub.Agents;

namespace Microsoft.AspNetCore.Builder;

/// <summary>REST route of the per-agent delivery accounts.</summary>
internal static class AgentsEndpoints
{
    public static IEndpointRouteBuilder MapFleetNetAgentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/agents", async (AgentsQuery query, CancellationToken cancellationToken) => Results.Ok(await query.RunAsync(cancellationToken)))
            .WithName("Agents")
            .WithSummary("Per agent (host): batches sent, stored, duplicate, rejected (with the last reason) and lost, samples stored and lost.");
        app.MapGrpcService<AgentsService>();
        return app;
    }
}
