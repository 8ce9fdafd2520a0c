using FleetNet.Hub.Tests.Storage;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FleetNet.Hub.Tests;

/// <summary>The real hub application on a test server, against the fixture's database, on fake time.</summary>
/// <remarks>
/// Agent identities and API keys are required only when <paramref name="secure"/> (security tests); other tests run the hub open.
/// <paramref name="settings"/> override configuration keys (e.g. <c>Storage:MaxConnections</c>).
/// </remarks>
public sealed class HubFactory(PostgresFixture postgres, bool secure = false, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>The hub's clock; starts at a fixed instant so expected answers can be computed by hand.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public GrpcChannel CreateGrpcChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:ConnectionString", postgres.ConnectionString);
        builder.UseSetting("Security:RequireAgentIdentity", secure ? "true" : "false");
        builder.UseSetting("Security:RequireApiKeys", secure ? "true" : "false");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}
