using FleetNet.Hub.Security;

namespace Microsoft.AspNetCore.Builder;

/// <summary>API key checks in front of every endpoint, and the enrollment and admin gRPC services.</summary>
internal static class SecurityEndpoints
{
    public static WebApplication MapFleetNetSecurity(this WebApplication app)
    {
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapGrpcService<EnrollmentService>();
        app.MapGrpcService<AdminService>();
        return app;
    }
}
