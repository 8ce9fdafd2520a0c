using FleetNet.Hub.Security;
using FleetNet.Hub.Tests.Ingest;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;
using Grpc.Core;

namespace FleetNet.Hub.Tests.Security;

public sealed class AgentIdentityTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    [Fact]
    public async Task Enroll_ThenStream_StoresForItsOwnHost()
    {
        await using var hub = new SecureHub(Postgres);
        var identity = await hub.EnrollAsync("web-1");

        await using var client = await IngestClient.ConnectAsync(hub.Channel(), TestBatches.Hello("web-1"), identity.Secret);
        var ack = await client.SendAsync(TestBatches.Batch(1, hub.Time.GetUtcNow(), processes: [(1, "nginx", 5, 5)]));

        Assert.StartsWith(Secrets.AgentSecretPrefix, identity.Secret, StringComparison.Ordinal);
        Assert.Equal(0, ack.Code);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM ingest_ledger"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM agent_identities WHERE secret_hash::text LIKE '%{identity.Secret[^10..]}%'"));
    }

    [Fact]
    public async Task Enroll_TokenUsedUpOrExpired_PermissionDenied()
    {
        await using var hub = new SecureHub(Postgres);
        var enrollment = new Enrollment.EnrollmentClient(hub.Channel());
        var single = await hub.CreateTokenAsync(uses: 1);
        var shortLived = await hub.CreateTokenAsync(uses: 5, lifetime: TimeSpan.FromMinutes(10));

        await enrollment.EnrollAsync(new EnrollRequest { Token = single, HostName = "a" });
        var usedUp = await Assert.ThrowsAsync<RpcException>(async () => await enrollment.EnrollAsync(new EnrollRequest { Token = single, HostName = "b" }));
        await enrollment.EnrollAsync(new EnrollRequest { Token = shortLived, HostName = "c" });
        hub.Time.Advance(TimeSpan.FromMinutes(11));
        var expired = await Assert.ThrowsAsync<RpcException>(async () => await enrollment.EnrollAsync(new EnrollRequest { Token = shortLived, HostName = "d" }));

        Assert.Equal(StatusCode.PermissionDenied, usedUp.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, expired.StatusCode);
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM agent_identities"));
    }

    [Fact]
    public async Task Stream_WithoutSecret_Unauthenticated()
    {
        await using var hub = new SecureHub(Postgres);
        var call = new Protocol.V1.Ingest.IngestClient(hub.Channel()).Stream();
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = TestBatches.Hello("web-1") });

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM hosts"));
    }

    [Fact]
    public async Task Stream_AnotherHostsIdentity_PermissionDeniedAndNothingWritten()
    {
        await using var hub = new SecureHub(Postgres);
        var web1 = await hub.EnrollAsync("web-1");

        var call = new Protocol.V1.Ingest.IngestClient(hub.Channel()).Stream(new Metadata { { "authorization", $"Bearer {web1.Secret}" } });
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = TestBatches.Hello("db-1") });
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Contains("may not write for host 'db-1'", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM hosts"));
    }

    [Fact]
    public async Task Stream_ForgedSecret_Unauthenticated()
    {
        await using var hub = new SecureHub(Postgres);
        var web1 = await hub.EnrollAsync("web-1");
        var forged = web1.Secret[..^4] + "AAAA";

        var call = new Protocol.V1.Ingest.IngestClient(hub.Channel()).Stream(new Metadata { { "authorization", $"Bearer {forged}" } });
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = TestBatches.Hello("web-1") });
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task Revoke_OpenStream_EndedWithinCheckIntervalAndReconnectRefused()
    {
        await using var hub = new SecureHub(Postgres);
        var web1 = await hub.EnrollAsync("web-1");
        var web2 = await hub.EnrollAsync("web-2");
        var admin = new Admin.AdminClient(hub.Channel(await hub.CreateKeyAsync(ApiKeyRole.Admin)));
        await using var revokedClient = await IngestClient.ConnectAsync(hub.Channel(), TestBatches.Hello("web-1"), web1.Secret);
        await using var otherClient = await IngestClient.ConnectAsync(hub.Channel(), TestBatches.Hello("web-2"), web2.Secret);

        var revoked = await admin.RevokeAgentAsync(new RevokeAgentRequest { AgentId = web1.AgentId });
        var ended = revokedClient.WaitForEndAsync();
        while (!ended.IsCompleted)
        {
            // The watch re-checks every RevocationCheckInterval (30 s) of the hub's clock.
            hub.Time.Advance(TimeSpan.FromSeconds(31));
            await Task.WhenAny(ended, Task.Delay(50));
        }

        var reconnect = new Protocol.V1.Ingest.IngestClient(hub.Channel()).Stream(new Metadata { { "authorization", $"Bearer {web1.Secret}" } });
        await reconnect.RequestStream.WriteAsync(new AgentMessage { Hello = TestBatches.Hello("web-1") });
        var refused = await Assert.ThrowsAsync<RpcException>(() => reconnect.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(1, revoked.Revoked);
        Assert.Equal(StatusCode.PermissionDenied, (await ended).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal(0, (await otherClient.SendAsync(TestBatches.Batch(1, hub.Time.GetUtcNow()))).Code);
    }
}
