using FleetNet.Hub.Query;

namespace Microsoft.AspNetCore.Builder;

/// <summary>REST routes of the query API under <c>/api/v1</c>.</summary>
internal static class QueryEndpoints
{
    public static IEndpointRouteBuilder MapFleetNetQueryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        // Parameters arrive as strings so that a bad value gets a sentence, not a bare 400. /top/processes
        // keeps its original items (host, process, exe, pid, ..., txBytes, rxBytes) and gains the new fields.
        api.MapGet("/top/{groupBy}", async (string groupBy, string? window, string? from, string? to, string? limit, string? offset,
                string? host, string? label, string? container, string? process, TopQuery query, TimeProvider time, CancellationToken cancellationToken) =>
            {
                if (!TopParameters.TryParseGroupBy(groupBy, out var group, out var error)
                    || !TopParameters.TryCreate(group, window, from, to, limit, offset, host, label, container, process, time.GetUtcNow(), out var parameters, out error))
                {
                    return Results.Problem(title: "Invalid query parameter", detail: error, statusCode: StatusCodes.Status400BadRequest);
                }

                return Results.Ok(await query.RunAsync(parameters, cancellationToken));
            })
            .WithName("Top")
            .WithSummary("Top-N over a window (window= or from=/to=) of processes (per host), names (programs fleet-wide), hosts, containers, endpoints or interfaces; "
                + "filters host, label (key=value), container, process; limit/offset pages; 'other' and totals; 'source' names the table that answered.");

        api.MapGet("/timeline", async (string? series, string? window, string? from, string? to, string? step,
                string? host, string? label, string? process, string? @interface, TimelineQuery query, TimeProvider time, CancellationToken cancellationToken) =>
            TimelineParameters.TryCreate(series, window, from, to, step, TimelineParameters.DefaultWindow, host, label, process, @interface, time.GetUtcNow(), out var parameters, out var error)
                ? Results.Ok(await query.RunAsync(parameters, cancellationToken))
                : Results.Problem(title: "Invalid query parameter", detail: error, statusCode: StatusCodes.Status400BadRequest))
            .WithName("Timeline")
            .WithSummary("Bytes per step (1m, 1h or 1d, chosen from the window unless given) for a host, label, process or interface.");

        api.MapGet("/trends", async (string? window, string? from, string? to, string? period, string? host, string? label, string? @interface,
                TimelineQuery query, TimeProvider time, CancellationToken cancellationToken) =>
            TrendParameters.TryCreate(window, from, to, period, host, label, @interface, time.GetUtcNow(), out var parameters, out var error)
                ? Results.Ok(await query.RunAsync(parameters, cancellationToken))
                : Results.Problem(title: "Invalid query parameter", detail: error, statusCode: StatusCodes.Status400BadRequest))
            .WithName("Trends")
            .WithSummary("Daily or weekly interface totals and peak rate over months, for a host, label or interface.");

        api.MapGet("/hosts", async (HostsQuery query, CancellationToken cancellationToken) => Results.Ok(await query.RunAsync(cancellationToken)))
            .WithName("Hosts")
            .WithSummary("Every host that has connected: last seen, kernel, agent version, fidelity and collectors.");

        return app;
    }
}
