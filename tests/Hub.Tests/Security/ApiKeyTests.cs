using System.Net;
using FleetNet.Hub.Security;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace FleetNet.Hub.Tests.Security;

public sealed class ApiKeyTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    [Fact]
    public async Task Rest_WithoutKey_Unauthorized()
    {
        await using var hub = new SecureHub(Postgres);

        var response = await hub.Rest().GetAsync("/api/v1/hosts");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("API key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rest_ReadKey_AnswersQueriesAndHealthNeedsNoKey()
    {
        await using var hub = new SecureHub(Postgres);
        var key = await hub.CreateKeyAsync(ApiKeyRole.Read);

        Assert.Equal(HttpStatusCode.OK, (await hub.Rest(key).GetAsync("/api/v1/hosts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.Rest(key).GetAsync("/api/v1/agents")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await hub.Rest().GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Rest_UnknownOrRevokedKey_Unauthorized()
    {
        await using var hub = new SecureHub(Postgres);
        var admin = await hub.CreateKeyAsync(ApiKeyRole.Admin);
        var (id, key) = await hub.Factory.Services.GetRequiredService<ApiKeyStore>().CreateAsync(ApiKeyRole.Read, "", CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await hub.Rest(key).GetAsync("/api/v1/hosts")).StatusCode);

        var revoked = await new Admin.AdminClient(hub.Channel(admin)).RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = id });

        Assert.Equal(1, revoked.Revoked);

        Assert.Equal(HttpStatusCode.Unauthorized, (await hub.Rest(key).GetAsync("/api/v1/hosts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await hub.Rest(Secrets.New(Secrets.ApiKeyPrefix)).GetAsync("/api/v1/hosts")).StatusCode);
    }

    [Fact]
    public async Task Grpc_QueryWithoutKey_Unauthenticated()
    {
        await using var hub = new SecureHub(Postgres);

        var e = await Assert.ThrowsAsync<RpcException>(async () => await new Protocol.V1.Query.QueryClient(hub.Channel()).ListHostsAsync(new ListHostsRequest()));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task Grpc_AdminWithReadKey_PermissionDenied()
    {
        await using var hub = new SecureHub(Postgres);
        var key = await hub.CreateKeyAsync(ApiKeyRole.Read);

        await new Protocol.V1.Query.QueryClient(hub.Channel(key)).ListHostsAsync(new ListHostsRequest());
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Admin.AdminClient(hub.Channel(key)).CreateEnrollmentTokenAsync(new CreateEnrollmentTokenRequest()));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }

    [Fact]
    public async Task Grpc_AdminKey_CreatesKeysStoredOnlyHashed()
    {
        await using var hub = new SecureHub(Postgres);
        var admin = new Admin.AdminClient(hub.Channel(await hub.CreateKeyAsync(ApiKeyRole.Admin)));

        var created = await admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = "read", Name = "grafana" });
        var badRole = await Assert.ThrowsAsync<RpcException>(async () => await admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = "root" }));

        Assert.StartsWith(Secrets.ApiKeyPrefix, created.Key, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await hub.Rest(created.Key).GetAsync("/api/v1/hosts")).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badRole.StatusCode);
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM api_keys WHERE key_hash::text LIKE '%{created.Key[4..12]}%' OR name = '{created.Key}'"));
        Assert.Equal(32, await CountAsync($"SELECT octet_length(key_hash) FROM api_keys WHERE id = {created.Id}"));
    }
}
