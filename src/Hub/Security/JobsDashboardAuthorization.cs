using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace FleetNet.Hub.Security;

/// <summary>
/// Second check in front of the Hangfire dashboard, after <see cref="ApiKeyMiddleware"/>: only a request the
/// middleware authenticated with an admin key, or, with API keys turned off, a loopback caller, gets in.
/// </summary>
internal sealed class JobsDashboardAuthorization(IOptions<SecurityOptions> options) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        return ApiKeyMiddleware.AuthenticatedRole(http) == ApiKeyRole.Admin
            || (!options.Value.RequireApiKeys && ApiKeyMiddleware.IsLoopback(http));
    }
}
