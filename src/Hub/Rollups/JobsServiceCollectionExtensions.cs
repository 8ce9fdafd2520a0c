using FleetNet.Hub.Rollups;
using FleetNet.Hub.Storage;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

internal static class JobsServiceCollectionExtensions
{
    /// <summary>Rollup and retention jobs, scheduled by Hangfire with its storage in the hub's database.</summary>
    public static IHostApplicationBuilder AddFleetNetJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RollupOptions>().BindConfiguration("Rollups").ValidateOnStart();
        builder.Services.AddSingleton<RollupJob>();
        builder.Services.AddSingleton<RetentionJob>();
        var jobs = builder.Configuration.GetSection("Jobs").Get<JobsOptions>() ?? new JobsOptions();
        if (!jobs.Enabled)
        {
            return builder;
        }

        builder.Services.AddHangfire((sp, configuration) => configuration
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                o => o.UseNpgsqlConnection(ConnectionBudget.JobPool(sp.GetRequiredService<IOptions<StorageOptions>>().Value)),
                // The schema is installed by JobScheduler after the hub's own migrations, so that an absent
                // database fails start-up with the hub's one-line message.
                new PostgreSqlStorageOptions { SchemaName = jobs.Schema, PrepareSchemaIfNecessary = false }));
        // The dashboard validates the antiforgery token of its POST actions when IAntiforgery is registered.
        builder.Services.AddAntiforgery();
        builder.Services.AddHostedService<JobScheduler>();
        builder.Services.AddHangfireServer(o => o.WorkerCount = ConnectionBudget.JobWorkers);
        return builder;
    }
}
