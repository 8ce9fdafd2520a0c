namespace FleetNet.Hub.Rollups;

/// <summary>How the rollup job runs. Bound from the <c>Rollups</c> section.</summary>
internal sealed class RollupOptions
{
    /// <summary>A minute is rolled up this long after it ends; later samples re-roll it (marked dirty at ingest).</summary>
    public TimeSpan Lag { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>At most this many buckets are claimed per level and run (the rest on the next run).</summary>
    public int MaxBucketsPerClaim { get; set; } = 20_000;

    /// <summary>At most this many compute transactions per level and run.</summary>
    public int MaxTransactionsPerRun { get; set; } = 200;

    /// <summary>Cron expression of the rollup job.</summary>
    public string Schedule { get; set; } = "* * * * *";
}
