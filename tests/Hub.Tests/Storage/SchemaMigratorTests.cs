using FleetNet.Hub.Storage;

namespace FleetNet.Hub.Tests.Storage;

public sealed class SchemaMigratorTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    [Fact]
    public async Task Start_AgainOnMigratedDatabase_AppliesEachMigrationOnce()
    {
        await using (var second = new HubFactory(Postgres))
        {
            _ = second.Server;
        }

        Assert.Equal(Migrations.All.Count, await CountAsync("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(Migrations.All.Max(m => m.Version), await CountAsync("SELECT max(version) FROM schema_migrations"));
    }

    [Fact]
    public async Task Start_EmptyDatabase_CreatesEveryTable()
    {
        foreach (var table in (string[])["hosts", "processes", "ingest_ledger", "process_samples", "interface_samples"])
        {
            Assert.Equal(1, await CountAsync($"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '{table}'"));
        }
    }

    [Fact]
    public async Task Start_TimescaleDbAvailable_SampleTablesAreHypertables()
    {
        var available = await CountAsync("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'") > 0;
        var expected = available ? Migrations.SampleTables.Count : 0;

        var hypertables = available
            ? await CountAsync("SELECT count(*) FROM timescaledb_information.hypertables WHERE hypertable_name IN ('process_samples', 'interface_samples')")
            : 0;

        Assert.Equal(expected, hypertables);
        if (Environment.GetEnvironmentVariable("FLEETNET_TEST_TIMESCALEDB") == "required")
        {
            Assert.True(available, "FLEETNET_TEST_TIMESCALEDB=required but the server has no timescaledb extension");
        }
    }
}
