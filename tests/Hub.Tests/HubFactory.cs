using FleetNet.Hub.Tests.Storage;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FleetNet.Hub.Tests;

/// <summary>The real hub application on a test server, against the fixture's database, on fake time.</summary>
public sealed class HubFactory(PostgresFixture postgres) : WebApplicationFactory<Program>
{
    /// <summary>The hub's clock; starts at a fixed instant so expected answers can be computed by hand.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public GrpcChannel CreateGrpcChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:ConnectionString", postgres.ConnectionString);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}
