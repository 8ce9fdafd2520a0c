using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Tests.Pipeline;

/// <summary>A real gRPC ingest endpoint on 127.0.0.1 (Kestrel, h2c) whose behaviour the test scripts.</summary>
internal sealed class TestIngestHub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestIngestHub(WebApplication app, TestIngestState state)
    {
        _app = app;
        State = state;
    }

    public TestIngestState State { get; }

    public string Url => _app.Urls.Single();

    public static async Task<TestIngestHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var state = new TestIngestState();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.MapGrpcService<TestIngestService>();
        await app.StartAsync();
        return new TestIngestHub(app, state);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
