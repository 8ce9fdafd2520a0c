using FleetNet.Hub.Storage;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetNet.Hub.Rollups;

/// <summary>Installs Hangfire's schema and registers the recurring rollup and retention jobs at start-up.</summary>
internal sealed class JobScheduler(
    NpgsqlDataSource dataSource,
    IRecurringJobManager recurring,
    IOptions<JobsOptions> jobs,
    IOptions<RollupOptions> rollups) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            PostgreSqlObjectsInstaller.Install(connection, jobs.Value.Schema);
        }

        recurring.AddOrUpdate<RollupJob>("rollups", job => job.RunAsync(CancellationToken.None), rollups.Value.Schedule);
        foreach (var table in TimeTables.All)
        {
            var name = table.Name;
            recurring.AddOrUpdate<RetentionJob>($"retention:{name}", job => job.RunAsync(name, CancellationToken.None), jobs.Value.RetentionSchedule);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
