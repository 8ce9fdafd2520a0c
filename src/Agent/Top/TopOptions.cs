namespace FleetNet.Agent.Top;

/// <summary>Arguments of <c>fleetnet-agent top</c>.</summary>
/// <param name="Once">Print one interval and exit.</param>
/// <param name="Json">Print JSON (one object per interval, one per line) instead of tables.</param>
/// <param name="IntervalSeconds">Seconds per refresh (0.2 to 3600).</param>
/// <param name="Limit">Rows per table.</param>
internal sealed record TopOptions(bool Once, bool Json, double IntervalSeconds, int Limit)
{
    public static TopOptions Default { get; } = new(false, false, 2, 20);
}
