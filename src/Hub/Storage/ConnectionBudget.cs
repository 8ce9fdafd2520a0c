using Npgsql;

namespace FleetNet.Hub.Storage;

/// <summary>
/// Splits <see cref="StorageOptions.MaxConnections"/> into the pool of the hub's data source and Hangfire's pool,
/// so that one hub never holds more connections than its budget whatever the number of agents.
/// </summary>
internal static class ConnectionBudget
{
    /// <summary>Connections left for agent hellos, queries and health checks beyond the writers.</summary>
    public const int MinOther = 2;

    /// <summary>Hangfire workers: the rollup and retention jobs are short and run one at a time per table.</summary>
    public const int JobWorkers = 2;

    public static string? Validate(StorageOptions storage, int writers, bool jobsEnabled)
    {
        var jobs = jobsEnabled ? storage.JobConnections : 0;
        var needed = writers + MinOther + jobs;
        return storage.MaxConnections >= needed
            ? null
            : $"Storage:MaxConnections is {storage.MaxConnections}, but Writer:Writers ({writers}) + {MinOther} for hellos and queries"
              + (jobsEnabled ? $" + Storage:JobConnections ({jobs}) for Hangfire" : "") + $" need {needed}; raise it or lower those.";
    }

    /// <summary>The connection string of the hub's own pool (writers, hellos, queries).</summary>
    public static string MainPool(StorageOptions storage, bool jobsEnabled) =>
        WithPoolSize(storage.ConnectionString, storage.MaxConnections - (jobsEnabled ? storage.JobConnections : 0));

    /// <summary>The connection string of Hangfire's pool.</summary>
    public static string JobPool(StorageOptions storage) => WithPoolSize(storage.ConnectionString, storage.JobConnections);

    private static string WithPoolSize(string connectionString, int size)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = true, MaxPoolSize = size };
        builder.MinPoolSize = Math.Min(builder.MinPoolSize, size);
        return builder.ConnectionString;
    }
}
