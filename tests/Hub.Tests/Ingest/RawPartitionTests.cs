using FleetNet.Hub.Tests.Rollups;
using FleetNet.Hub.Tests.Storage;

namespace FleetNet.Hub.Tests.Ingest;

/// <summary>
/// The writer COPYs a group that lies in one UTC day straight into that day's raw partitions, and through the
/// partitioned parent otherwise. Every row must end up in the partition of its own time, whichever way it went,
/// and a day without a partition is created on the retry. Clock 2026-11-25 12:00; partitions exist from 7 days back.
/// On TimescaleDB (hypertables, no partitions) the same batches must simply be stored.
/// </summary>
public sealed class RawPartitionTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    private const string WhereRowsAre = """
        SELECT tableoid::regclass::text, count(*) FROM process_samples GROUP BY 1
        UNION ALL SELECT tableoid::regclass::text, count(*) FROM interface_samples GROUP BY 1
        UNION ALL SELECT tableoid::regclass::text, count(*) FROM endpoint_samples GROUP BY 1
        ORDER BY 1
        """;

    [Fact]
    public async Task Stream_BatchWithinOneDay_EveryRowInThatDaysPartitions()
    {
        var batch = TestBatches.Batch(1, new DateTimeOffset(2026, 11, 25, 11, 0, 0, TimeSpan.Zero), processes: [(100, "nginx", 10, 20), (200, "curl", 1, 2)]);
        batch.Endpoints.Add(new Protocol.V1.EndpointSample
        {
            OffsetMs = 10_000, IntervalMs = 10_000, Pid = 100, StartUnixMs = 1_700_000_000_100, Protocol = Protocol.V1.IpProtocol.Tcp,
            RemoteAddress = Google.Protobuf.ByteString.CopyFrom([198, 18, 0, 9]), RemotePort = 443, TxBytes = 1,
        });

        await RollupData.SendAsync(Hub, "web-1", batch);

        await AssertRowsAsync(["endpoint_samples_p20261125 1", "interface_samples_p20261125 1", "process_samples_p20261125 2"], 4);
    }

    [Fact]
    public async Task Stream_BatchAcrossMidnight_EachRowInItsOwnDaysPartition()
    {
        // 2026-11-24 23:59:55 to 2026-11-25 00:00:05: one process sample before midnight, one and the interface after.
        var batch = TestBatches.Batch(1, new DateTimeOffset(2026, 11, 25, 0, 0, 5, TimeSpan.Zero), processes: [(100, "nginx", 10, 20), (200, "curl", 1, 2)]);
        batch.Processes[0].OffsetMs = 2_000;
        batch.Processes[0].IntervalMs = 2_000;

        await RollupData.SendAsync(Hub, "web-1", batch);

        await AssertRowsAsync(["interface_samples_p20261125 1", "process_samples_p20261124 1", "process_samples_p20261125 1"], 3);
    }

    [Fact]
    public async Task Stream_BatchOfADayWithoutPartition_PartitionCreatedAndRowsStored()
    {
        // 15 days back: older than the partitions made ahead (7 days), younger than Ingest:MaxAge (30 days).
        var batch = TestBatches.Batch(1, new DateTimeOffset(2026, 11, 10, 12, 0, 0, TimeSpan.Zero), processes: [(100, "nginx", 10, 20)]);

        await RollupData.SendAsync(Hub, "web-1", batch);

        await AssertRowsAsync(["interface_samples_p20261110 1", "process_samples_p20261110 1"], 2);
    }

    private async Task AssertRowsAsync(string[] partitioned, long rows)
    {
        if (await CountAsync("SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'process_samples'::regclass") == 0)
        {
            Assert.Equal(rows, await CountAsync("SELECT (SELECT count(*) FROM process_samples) + (SELECT count(*) FROM interface_samples) + (SELECT count(*) FROM endpoint_samples)"));
            return;
        }

        Assert.Equal(partitioned, await RollupData.RowsAsync(Postgres.ConnectionString, WhereRowsAre));
    }
}
