using Xunit.Abstractions;

namespace FleetNet.FaultTests;

/// <summary>
/// 20 simulated agents stream known data while the hub or the database fails; every scenario ends with
/// stored + reported lost = sent, no sample stored twice, and prints its figures ("[fault] ..." lines).
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class DeliveryFaultTests(PostgresCluster cluster, ITestOutputHelper output)
{
    private const int Agents = 20;
    private const int Batches = 40;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task HubKilledAndRestarted_EveryBatchStoredOnceNothingLost()
    {
        var fleet = await Fleet.StartAsync(cluster, Agents, spoolCap: 1000);
        await using var hub = fleet.Hub;

        await fleet.RunAsync(Batches, Interval, async () =>
        {
            await hub.KillAsync();
            await Task.Delay(500);
            await hub.StartAsync();
        }, Timeout);

        var accounts = await fleet.AssertExactAsync("hub killed (SIGKILL) and restarted", output);
        Assert.Equal(0, accounts.Lost);
    }

    [Fact]
    public async Task PostgresRestarted_EveryBatchStoredOnceNothingLost()
    {
        var fleet = await Fleet.StartAsync(cluster, Agents, spoolCap: 1000);
        await using var hub = fleet.Hub;

        await fleet.RunAsync(Batches, Interval, cluster.RestartAsync, Timeout);

        var accounts = await fleet.AssertExactAsync("PostgreSQL restarted (pg_ctl restart -m fast)", output);
        Assert.Equal(0, accounts.Lost);
    }

    [Fact]
    public async Task SpoolCapReachedDuringOutage_LossReportedAsGapsAndCountsAddUp()
    {
        var fleet = await Fleet.StartAsync(cluster, Agents, spoolCap: 8);
        await using var hub = fleet.Hub;

        await fleet.RunAsync(Batches, Interval, async () =>
        {
            await hub.KillAsync();
            // Long enough for every agent to produce more than its spool holds.
            while (fleet.Agents.Min(a => a.LostBatches) == 0)
            {
                await Task.Delay(20);
            }

            await hub.StartAsync();
        }, Timeout);

        var accounts = await fleet.AssertExactAsync("spool cap (8 batches) reached during a hub outage", output);
        Assert.True(accounts.Lost >= Agents, $"every agent should have lost at least one batch, lost {accounts.Lost}");
    }

    [Fact]
    public async Task ReplayedStream_AllDuplicatesNothingStoredTwice()
    {
        var fleet = await Fleet.StartAsync(cluster, Agents, spoolCap: 1000);
        await using var hub = fleet.Hub;
        await fleet.RunAsync(Batches, Interval, () => Task.CompletedTask, Timeout);
        var before = await fleet.AccountsAsync();

        // A restored backup of its spool, or a bug: one agent sends its whole history again.
        var replayer = fleet.Agents[0];
        var duplicates = await replayer.ReplayHistoryAsync();

        var accounts = await fleet.AssertExactAsync("a replayed stream (one agent re-sends all 40 batches)", output);
        Assert.Equal(Batches, duplicates);
        Assert.Equal(before.Stored, accounts.Stored);
        Assert.Equal(before.Duplicate + Batches, accounts.Duplicate);
    }
}
