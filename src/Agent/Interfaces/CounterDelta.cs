namespace FleetNet.Agent.Interfaces;

/// <summary>
/// The increase of a kernel counter between two reads. Some drivers keep 32-bit counters that wrap at
/// 2³²: a backwards step is taken as one wrap when both reads fit in 32 bits and the wrapped increase is
/// plausible (under half the 32-bit range, and under what the link could carry); anything else is a
/// reset (driver reload, re-created interface), which the caller reports instead of a rate.
/// </summary>
internal static class CounterDelta
{
    private const ulong Wrap = 1UL << 32;

    /// <summary>The increase from <paramref name="before"/> to <paramref name="now"/>; false when the counter was reset.</summary>
    public static bool TryCompute(ulong before, ulong now, ulong plausibleMax, out ulong delta)
    {
        if (now >= before)
        {
            delta = now - before;
            return true;
        }

        delta = 0;
        if (before >= Wrap || now >= Wrap)
        {
            return false;
        }

        var wrapped = Wrap - before + now;
        if (wrapped >= Wrap / 2 || wrapped > plausibleMax)
        {
            return false;
        }

        delta = wrapped;
        return true;
    }

    /// <summary>
    /// The most bytes a link of <paramref name="speedMbps"/> can move in <paramref name="intervalSeconds"/>,
    /// doubled for timer slack; unbounded (the half-range rule alone decides) when the speed is unknown.
    /// </summary>
    public static ulong PlausibleBytes(uint speedMbps, int intervalSeconds) =>
        speedMbps == 0 ? ulong.MaxValue : (ulong)speedMbps * 125_000UL * (ulong)Math.Max(1, intervalSeconds) * 2;
}
