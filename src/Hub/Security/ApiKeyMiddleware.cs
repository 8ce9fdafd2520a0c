using Microsoft.Extensions.Options;

namespace FleetNet.Hub.Security;

/// <summary>
/// Authenticates REST and gRPC calls by API key and checks the role the path needs: administration
/// needs admin, everything else read. Ingest (agent identities, checked in the ingest service),
/// enrollment (the token is the credential) and the health check are open.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyStore keys, IOptions<SecurityOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var required = RequiredRole(context.Request.Path);
        if (!options.Value.RequireApiKeys || required == ApiKeyRole.None)
        {
            await next(context);
            return;
        }

        var key = Secrets.FromHeaders(context.Request.Headers.Authorization, context.Request.Headers["x-api-key"]);
        var role = key is null ? ApiKeyRole.None : await keys.AuthenticateAsync(key, context.RequestAborted);
        if (role == ApiKeyRole.None)
        {
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

        await next(context);
    }

    public static ApiKeyRole RequiredRole(PathString path)
    {
        var p = path.Value ?? "";
        if (p.StartsWith("/fleetnet.v1.Ingest/", StringComparison.Ordinal) || p.StartsWith("/fleetnet.v1.Enrollment/", StringComparison.Ordinal)
            || p == "/healthz")
        {
            return ApiKeyRole.None;
        }

        return p.StartsWith("/fleetnet.v1.Admin/", StringComparison.Ordinal) || p.StartsWith("/api/v1/admin", StringComparison.Ordinal)
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
