namespace FleetNet.Hub.Storage;

/// <summary>How long each kind of time table keeps data. Bound from the <c>Retention</c> section.</summary>
internal sealed class RetentionOptions
{
    /// <summary>Raw samples (processes, interfaces, endpoints, conntrack, unattributed).</summary>
    public TimeSpan Raw { get; set; } = TimeSpan.FromDays(7);

    /// <summary>1-minute rollups.</summary>
    public TimeSpan Minute { get; set; } = TimeSpan.FromDays(30);

    /// <summary>1-hour rollups.</summary>
    public TimeSpan Hour { get; set; } = TimeSpan.FromDays(365);

    /// <summary>1-day rollups; null (the default) keeps them forever.</summary>
    public TimeSpan? Day { get; set; }

    /// <summary>Partitions (plain PostgreSQL) are created this far ahead of now.</summary>
    public TimeSpan CreateAhead { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan? For(RetentionClass retention) => retention switch
    {
        RetentionClass.Raw => Raw,
        RetentionClass.Minute => Minute,
        RetentionClass.Hour => Hour,
        _ => Day,
    };
}
