namespace FleetNet.Hub.Rollups;

/// <summary>Background jobs (Hangfire on PostgreSQL). Bound from the <c>Jobs</c> section.</summary>
internal sealed class JobsOptions
{
    /// <summary>Run a Hangfire server in this hub (any number of replicas may; jobs run once).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Serve the Hangfire dashboard at <c>/hangfire</c> (only when <see cref="Enabled"/>), to callers with an
    /// admin API key (loopback callers only when <c>Security:RequireApiKeys</c> is false).
    /// </summary>
    public bool Dashboard { get; set; } = true;

    /// <summary>Database schema of Hangfire's own tables.</summary>
    public string Schema { get; set; } = "hangfire";

    /// <summary>Cron expression of the retention jobs (one per table).</summary>
    public string RetentionSchedule { get; set; } = "17 * * * *";
}
