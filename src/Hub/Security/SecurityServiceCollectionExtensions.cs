using FleetNet.Hub.Security;

namespace Microsoft.Extensions.DependencyInjection;

internal static class SecurityServiceCollectionExtensions
{
    /// <summary>Agent identities, enrollment, API keys and per-agent rate limits.</summary>
    public static IHostApplicationBuilder AddFleetNetSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration("Security").ValidateOnStart()
            .Validate(o => o.AgentBatchesPerSecond > 0 && o.AgentBatchBurst >= 1, "Security:AgentBatchesPerSecond must be > 0 and Security:AgentBatchBurst >= 1")
            .Validate(o => o.RevocationCheckInterval > TimeSpan.Zero && o.RevocationCheckInterval <= TimeSpan.FromMinutes(1),
                "Security:RevocationCheckInterval must be more than 0 and at most 1 minute");
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<AgentIdentityStore>();
        builder.Services.AddSingleton<AgentAuthenticator>();
        builder.Services.AddSingleton<AgentRateLimiter>();
        return builder;
    }
}
