using FleetNet.Hub.Ingest;
using FleetNet.Hub.Rollups;
using FleetNet.Hub.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

internal static class StorageServiceCollectionExtensions
{
    /// <summary>PostgreSQL data source, schema migrations at start-up and a database health check.</summary>
    public static IHostApplicationBuilder AddFleetNetStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration("Storage").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration("Retention").ValidateOnStart();
        builder.Services.AddOptions<BatchWriterOptions>().BindConfiguration("Writer").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<JobsOptions>().BindConfiguration("Jobs").ValidateOnStart();
        // One bounded pool for the writers, hellos and queries; Hangfire has its own share of the budget.
        builder.Services.AddSingleton(sp => NpgsqlDataSource.Create(ConnectionBudget.MainPool(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IOptions<JobsOptions>>().Value.Enabled)));
        builder.Services.AddHostedService<SchemaMigrator>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }
}
