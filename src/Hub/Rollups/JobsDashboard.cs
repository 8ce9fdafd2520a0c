using FleetNet.Hub.Security;
using Hangfire;
using Microsoft.Extensions.Options;

namespace FleetNet.Hub.Rollups;

/// <summary>
/// The Hangfire dashboard at <see cref="Path"/>, for administrators with a browser: an admin API key
/// (checked by <see cref="ApiKeyMiddleware"/>, then by <see cref="JobsDashboardAuthorization"/>); its
/// buttons (trigger, retry, delete) post with Hangfire's antiforgery token.
/// </summary>
internal static class JobsDashboard
{
    public const string Path = "/hangfire";

    /// <summary>The path is the dashboard or below it.</summary>
    public static bool Covers(PathString path) => path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase);

    public static WebApplication MapFleetNetJobsDashboard(this WebApplication app)
    {
        var jobs = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
        if (!jobs.Enabled || !jobs.Dashboard)
        {
            return app;
        }

        app.MapHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [new JobsDashboardAuthorization(app.Services.GetRequiredService<IOptions<SecurityOptions>>())],
            DashboardTitle = "FleetNet jobs",
            AppPath = null,
            // The connection string may carry the database password.
            DisplayStorageConnectionString = false,
        });
        return app;
    }
}
