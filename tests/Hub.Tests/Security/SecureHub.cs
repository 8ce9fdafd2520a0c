using FleetNet.Hub.Security;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FleetNet.Hub.Tests.Security;

/// <summary>The hub with agent identities and API keys required, plus helpers to enroll and to call with keys.</summary>
internal sealed class SecureHub : IAsyncDisposable
{
    private readonly HubFactory _root;

    public SecureHub(PostgresFixture postgres, params (string Key, string Value)[] settings)
    {
        _root = new HubFactory(postgres, secure: true);
        Factory = _root.WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
    }

    public WebApplicationFactory<Program> Factory { get; }

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider Time => _root.Time;

    public GrpcChannel Channel(string? apiKey = null) => GrpcChannel.ForAddress(Factory.Server.BaseAddress, new GrpcChannelOptions
    {
        HttpHandler = apiKey is null ? Factory.Server.CreateHandler() : new KeyHandler(apiKey) { InnerHandler = Factory.Server.CreateHandler() },
    });

    public HttpClient Rest(string? apiKey = null)
    {
        var client = Factory.CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        }

        return client;
    }

    public async Task<string> CreateKeyAsync(ApiKeyRole role) =>
        (await Factory.Services.GetRequiredService<ApiKeyStore>().CreateAsync(role, "test", CancellationToken.None)).Key;

    public async Task<string> CreateTokenAsync(int uses = 1, TimeSpan? lifetime = null) =>
        (await Factory.Services.GetRequiredService<AgentIdentityStore>().CreateTokenAsync(uses, lifetime ?? TimeSpan.FromHours(1), "", CancellationToken.None)).Token;

    /// <summary>Enrolls a host with a fresh token through the real Enrollment service; returns its identity.</summary>
    public async Task<EnrollResponse> EnrollAsync(string host) =>
        await new Enrollment.EnrollmentClient(Channel()).EnrollAsync(new EnrollRequest { Token = await CreateTokenAsync(), HostName = host });

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _root.DisposeAsync();
    }

    private sealed class KeyHandler(string key) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new("Bearer", key);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
