using FleetNet.Hub.Storage;
using FleetNet.Hub.Tests.Ingest;
using FleetNet.Hub.Tests.Rollups;
using Microsoft.Extensions.DependencyInjection;

namespace FleetNet.Hub.Tests.Storage;

public sealed class RetentionJobTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    [Fact]
    public async Task Run_RawOlderThanSevenDays_DropsItsPartitionOrChunkAndKeepsRecentRows()
    {
        var now = Hub.Time.GetUtcNow();
        await RollupData.SendAsync(Hub, "web-1",
            TestBatches.Batch(1, now.AddDays(-10), processes: [(100, "nginx", 1, 1)]),
            TestBatches.Batch(2, now, processes: [(100, "nginx", 2, 2)]));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM process_samples"));

        var dropped = await Hub.Services.GetRequiredService<RetentionJob>().RunAsync("process_samples");

        Assert.NotEmpty(dropped);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM process_samples"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM process_samples WHERE time < '{now.AddDays(-7):O}'"));
        var layout = await CountAsync("SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'process_samples'::regclass");
        if (layout == 1)
        {
            Assert.Contains("process_samples_p20261115", dropped);
            Assert.Equal(0, await CountAsync("SELECT count(*) FROM pg_class WHERE relname = 'process_samples_p20261115'"));
        }
    }

    [Fact]
    public async Task Run_DayRollupsKeptForever_DropsNothing()
    {
        var dropped = await Hub.Services.GetRequiredService<RetentionJob>().RunAsync("process_1d");

        Assert.Empty(dropped);
    }

    [Fact]
    public async Task Start_PlainPostgreSql_RawTablesArePartitionedAheadOfNow()
    {
        var partitioned = await CountAsync("SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'process_samples'::regclass");
        var timescale = await CountAsync("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'");

        Assert.Equal(timescale == 1 ? 0 : 1, partitioned);
        if (partitioned == 1)
        {
            Assert.Equal(1, await CountAsync("SELECT count(*) FROM pg_class WHERE relname = 'process_samples_p20261127'"));
        }
    }
}
