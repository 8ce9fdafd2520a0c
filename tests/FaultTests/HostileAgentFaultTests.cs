using FleetNet.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using Xunit.Abstractions;

namespace FleetNet.FaultTests;

/// <summary>
/// While 20 agents stream known data, others misbehave: another host's identity, a revoked identity,
/// garbage bytes, a huge batch, a batch from the far future. Each gets the right refusal; the 20 are
/// unaffected and their counts stay exact.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class HostileAgentFaultTests(PostgresCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task HostileAgentsAmongTwenty_EachRefusedRightlyOthersExact()
    {
        var fleet = await Fleet.StartAsync(cluster, 20, spoolCap: 1000);
        await using var hub = fleet.Hub;
        var token = await hub.RunCommandAsync("create-enrollment-token", "--uses", "3");
        var intruder = new SimAgent("intruder", 90, () => hub.GrpcUrl, 10);
        var revokee = new SimAgent("revokee", 91, () => hub.GrpcUrl, 10);
        var sloppy = new SimAgent("sloppy", 92, () => hub.GrpcUrl, 10);
        await intruder.EnrollAsync(token);
        await revokee.EnrollAsync(token);
        await sloppy.EnrollAsync(token);
        using var channel = GrpcChannel.ForAddress(hub.GrpcUrl);
        var refusals = new List<string>();

        await fleet.RunAsync(40, TimeSpan.FromMilliseconds(50), async () =>
        {
            // Another host's identity: refused at Hello, nothing written for sim-00.
            var impersonation = await Assert.ThrowsAsync<RpcException>(() => intruder.OpenAsync("sim-00", channel));
            Assert.Equal(StatusCode.PermissionDenied, impersonation.StatusCode);
            refusals.Add($"another host's identity: {impersonation.StatusCode}");

            // A revoked identity: its open stream is ended within the check interval (1 s here), and it cannot reconnect.
            var open = await revokee.OpenAsync("revokee", channel);
            using (var adminChannel = GrpcChannel.ForAddress(hub.GrpcUrl))
            {
                var admin = new Admin.AdminClient(adminChannel);
                var revoked = await admin.RevokeAgentAsync(new RevokeAgentRequest { HostName = "revokee" },
                    new Metadata { { "authorization", $"Bearer {fleet.AdminKey}" } });
                Assert.Equal(1, revoked.Revoked);
            }

            var ended = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                while (await open.ResponseStream.MoveNext(limit.Token))
                {
                }
            });
            Assert.Equal(StatusCode.PermissionDenied, ended.StatusCode);
            var reconnect = await Assert.ThrowsAsync<RpcException>(() => revokee.OpenAsync("revokee", channel));
            Assert.Equal(StatusCode.PermissionDenied, reconnect.StatusCode);
            refusals.Add($"revoked identity: open stream ended {ended.StatusCode}, reconnect {reconnect.StatusCode}");

            // Garbage bytes and a batch from the far future: refused one by one, the stream goes on.
            var call = await sloppy.OpenAsync("sloppy", channel);
            await call.RequestStream.WriteAsync(new AgentMessage { Batch = ByteString.CopyFrom(0xde, 0xad, 0xbe, 0xef, 0xff, 0xff) });
            var garbage = (await SimAgent.NextAsync(call, CancellationToken.None)).Ack;
            var future = new Batch { Epoch = sloppy.Epoch, Seq = 1, StartUnixMs = DateTimeOffset.UtcNow.AddYears(50).ToUnixTimeMilliseconds(), Strings = { "" } };
            future.EndUnixMs = future.StartUnixMs + 1000;
            await call.RequestStream.WriteAsync(new AgentMessage { Batch = future.ToByteString() });
            var farFuture = (await SimAgent.NextAsync(call, CancellationToken.None)).Ack;
            Assert.Equal((int)StatusCode.InvalidArgument, garbage.Code);
            Assert.Equal((int)StatusCode.InvalidArgument, farFuture.Code);
            Assert.Contains("after the hub's clock", farFuture.Message, StringComparison.Ordinal);
            refusals.Add($"garbage bytes: ack {(StatusCode)garbage.Code} ({garbage.Message})");
            refusals.Add($"far future: ack {(StatusCode)farFuture.Code} ({farFuture.Message})");

            // A huge batch (2 MiB, over Ingest:MaxMessageBytes = 1 MiB): the stream ends with RESOURCE_EXHAUSTED.
            var huge = new Batch { Epoch = sloppy.Epoch, Seq = 2, StartUnixMs = future.StartUnixMs, EndUnixMs = future.EndUnixMs, Strings = { "", new string('x', 2 * 1024 * 1024) } };
            var hugeEnded = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                await call.RequestStream.WriteAsync(new AgentMessage { Batch = huge.ToByteString() });
                await SimAgent.NextAsync(call, CancellationToken.None);
            });
            // The hub answers RESOURCE_EXHAUSTED and resets the HTTP/2 stream; a client still writing the
            // 2 MiB may see the reset (CANCELLED) before the status. Either way the stream is over.
            Assert.Contains(hugeEnded.StatusCode, (StatusCode[])[StatusCode.ResourceExhausted, StatusCode.Cancelled]);
            refusals.Add($"huge batch: stream ended {hugeEnded.StatusCode}");
            call.Dispose();
        }, TimeSpan.FromMinutes(3));

        foreach (var refusal in refusals)
        {
            output.WriteLine($"[fault] refusal: {refusal}");
            Console.WriteLine($"[fault] refusal: {refusal}");
        }

        await fleet.AssertExactAsync("hostile agents among 20 (impersonation, revoked, garbage, huge, far future)", output);
        await using var connection = new NpgsqlConnection(fleet.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM hosts WHERE name = 'intruder'),
                   (SELECT batches_rejected FROM agent_delivery WHERE host_id = (SELECT id FROM hosts WHERE name = 'sloppy')),
                   (SELECT count(*) FROM ingest_ledger WHERE host_id IN (SELECT id FROM hosts WHERE name IN ('sloppy', 'revokee')))
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(0, reader.GetInt64(0));
        Assert.Equal(2, reader.GetInt64(1));
        Assert.Equal(0, reader.GetInt64(2));
    }
}
