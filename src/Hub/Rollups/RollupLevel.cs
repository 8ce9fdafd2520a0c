namespace FleetNet.Hub.Rollups;

/// <summary>
/// One rollup granularity: its name in the tables (<c>process_1m</c>, …), bucket size, the SQL unit for
/// date_trunc, the level it is computed from (null: raw samples) and how many buckets one transaction takes.
/// </summary>
internal sealed record RollupLevel(string Name, TimeSpan Size, string Unit, RollupLevel? Source, int BucketsPerTransaction)
{
    public static readonly RollupLevel Minute = new("1m", TimeSpan.FromMinutes(1), "minute", null, 60);
    public static readonly RollupLevel Hour = new("1h", TimeSpan.FromHours(1), "hour", Minute, 24);
    public static readonly RollupLevel Day = new("1d", TimeSpan.FromDays(1), "day", Hour, 31);

    public static readonly IReadOnlyList<RollupLevel> All = [Minute, Hour, Day];

    public RollupLevel? Parent => ReferenceEquals(this, Minute) ? Hour : ReferenceEquals(this, Hour) ? Day : null;
}
