using FleetNet.Hub.Query;

namespace Microsoft.AspNetCore.Builder;

/// <summary>REST routes of the query API under <c>/api/v1</c>.</summary>
internal static class QueryEndpoints
{
    public static IEndpointRouteBuilder MapFleetNetQueryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        // Parameters arrive as strings so that a bad value gets a sentence, not a bare 400.
        api.MapGet("/top/processes", async (string? window, string? limit, string? host, TopProcessesQuery query, CancellationToken cancellationToken) =>
            TopProcessesRequestParameters.TryCreate(window, limit, host, out var parameters, out var error)
                ? Results.Ok(await query.RunAsync(parameters, cancellationToken))
                : Results.Problem(title: "Invalid query parameter", detail: error, statusCode: StatusCodes.Status400BadRequest))
            .WithName("TopProcesses")
            .WithSummary("Processes ranked by bytes sent + received over a window, fleet-wide or for one host.");

        api.MapGet("/hosts", async (HostsQuery query, CancellationToken cancellationToken) => Results.Ok(await query.RunAsync(cancellationToken)))
            .WithName("Hosts")
            .WithSummary("Every host that has connected: last seen, kernel, agent version, fidelity and collectors.");

        return app;
    }
}
