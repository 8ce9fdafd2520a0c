using System.Net;
using FleetNet.Hub.Rollups;
using Microsoft.Extensions.Options;

namespace FleetNet.Hub.Security;

/// <summary>
/// Authenticates REST and gRPC calls by API key and checks the role the path needs: administration
/// and the jobs dashboard need admin, everything else read. Ingest (agent identities, checked in the
/// ingest service), enrollment (the token is the credential) and the health check are open. With API
/// keys turned off the jobs dashboard is still served only to loopback callers.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyStore keys, IOptions<SecurityOptions> options)
{
    private static readonly object RoleItem = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var required = RequiredRole(context.Request.Path);
        var dashboard = JobsDashboard.Covers(context.Request.Path);
        if (!options.Value.RequireApiKeys || required == ApiKeyRole.None)
        {
            if (dashboard && !IsLoopback(context))
            {
                await RefuseAsync(context, StatusCodes.Status403Forbidden, 7,
                    "with Security:RequireApiKeys=false the jobs dashboard is served only to loopback callers");
                return;
            }

            await next(context);
            return;
        }

        var key = Secrets.FromHeaders(context.Request.Headers.Authorization, context.Request.Headers["x-api-key"]);
        var role = key is null ? ApiKeyRole.None : await keys.AuthenticateAsync(key, context.RequestAborted);
        if (role == ApiKeyRole.None)
        {
            if (dashboard)
            {
                // A browser asks for the key (any user name, the key as password) when told Basic.
                context.Response.Headers.WWWAuthenticate = new(["Basic realm=\"fleetnet\", charset=\"UTF-8\"", "Bearer realm=\"fleetnet\""]);
            }

            await RefuseAsync(context, StatusCodes.Status401Unauthorized, 16, key is null
                ? "an API key is required (authorization: Bearer fnk_...)"
                : "the API key is unknown or revoked");
            return;
        }

        if (role < required)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, 7, "this needs an API key with role admin");
            return;
        }

        context.Items[RoleItem] = role;
        await next(context);
    }

    /// <summary>The role of the API key this middleware authenticated for the request; None when it checked none.</summary>
    public static ApiKeyRole AuthenticatedRole(HttpContext context) =>
        context.Items.TryGetValue(RoleItem, out var role) && role is ApiKeyRole r ? r : ApiKeyRole.None;

    /// <summary>The caller connected from a loopback address (not behind a proxy on this machine, which would look the same).</summary>
    public static bool IsLoopback(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip);

    public static ApiKeyRole RequiredRole(PathString path)
    {
        var p = path.Value ?? "";
        if (p.StartsWith("/fleetnet.v1.Ingest/", StringComparison.Ordinal) || p.StartsWith("/fleetnet.v1.Enrollment/", StringComparison.Ordinal)
            || p == "/healthz")
        {
            return ApiKeyRole.None;
        }

        return p.StartsWith("/fleetnet.v1.Admin/", StringComparison.Ordinal) || p.StartsWith("/api/v1/admin", StringComparison.Ordinal)
            || JobsDashboard.Covers(path)
            ? ApiKeyRole.Admin
            : ApiKeyRole.Read;
    }

    /// <summary>gRPC callers get a trailers-only gRPC status, REST callers a problem document.</summary>
    private static async Task RefuseAsync(HttpContext context, int httpStatus, int grpcStatus, string reason)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = grpcStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(reason);
            return;
        }

        await Results.Problem(title: httpStatus == 401 ? "Unauthorized" : "Forbidden", detail: reason, statusCode: httpStatus).ExecuteAsync(context);
    }
}
