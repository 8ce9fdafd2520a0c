using FleetNet.Hub.Ingest;
using FleetNet.Hub.Tests.Rollups;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;
using Npgsql;

namespace FleetNet.Hub.Tests.Ingest;

/// <summary>The agents' counters of a whole group in one statement: the latest seq per (host, epoch) wins, older ones change nothing.</summary>
public sealed class EpochCountersTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    [Fact]
    public async Task Command_TwoBatchesOfOneEpochInAGroup_LatestSeqKeptAndOlderLaterIgnored()
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
        await connection.OpenAsync();
        await using (var host = new NpgsqlCommand("INSERT INTO hosts (name, first_seen, last_seen) VALUES ('web-1', now(), now()) RETURNING id", connection))
        {
            var hostId = (long)(await host.ExecuteScalarAsync())!;
            await RunAsync(connection, [Pending(hostId, 1, 5, 5), Pending(hostId, 1, 7, 7), Pending(hostId, 2, 1, 1), Pending(hostId, 1, 6, 6)]);
            await RunAsync(connection, [Pending(hostId, 1, 6, 60)]);
        }

        Assert.Equal(["web-1 1 7 7 1", "web-1 2 1 1 1"], await RollupData.RowsAsync(Postgres.ConnectionString, """
            SELECT h.name, c.epoch, c.seq, c.batches_sent, c.batches_lost FROM agent_epoch_counters c JOIN hosts h ON h.id = c.host_id ORDER BY 2
            """));
    }

    [Fact]
    public void Command_NoBatchCarriesCounters_Null()
    {
        Assert.Null(EpochCounters.Command([new PendingWrite(1, new Batch { Epoch = 1, Seq = 1 })], DateTimeOffset.UnixEpoch));
    }

    private static PendingWrite Pending(long hostId, ulong epoch, ulong seq, ulong sent) =>
        new(hostId, new Batch { Epoch = epoch, Seq = seq, Counters = new AgentCounters { BatchesSent = sent, BatchesLost = 1 } });

    private static async Task RunAsync(NpgsqlConnection connection, PendingWrite[] group)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { EpochCounters.Command(group, DateTimeOffset.UnixEpoch)! } };
        await batch.ExecuteNonQueryAsync();
    }
}
