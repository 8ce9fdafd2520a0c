namespace FleetNet.Agent.Pipeline;

/// <summary>
/// Exponential backoff with full jitter: the n-th consecutive failure waits a uniformly random time in
/// [0, min(cap, initial × 2ⁿ)], so a fleet that lost its hub at the same moment does not return in lockstep.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan cap, Random random)
{
    private int _failures;

    /// <summary>0.5 s doubling to a 30 s cap.</summary>
    public static ReconnectBackoff CreateDefault() =>
        new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), Random.Shared);

    /// <summary>The upper bound of the next delay.</summary>
    public TimeSpan CurrentCeiling
    {
        get
        {
            // 2^20 × 0.5 s is far past any sane cap; stop doubling there so the shift cannot overflow.
            var factor = 1L << Math.Min(_failures, 20);
            var ticks = initial.Ticks > cap.Ticks / factor ? cap.Ticks : initial.Ticks * factor;
            return TimeSpan.FromTicks(ticks);
        }
    }

    /// <summary>The delay before the next attempt; each call counts one more failure.</summary>
    public TimeSpan Next()
    {
        var delay = TimeSpan.FromTicks((long)(random.NextDouble() * CurrentCeiling.Ticks));
        _failures++;
        return delay;
    }

    /// <summary>
    /// The delay after a refusal that retrying soon cannot fix (bad credentials, revoked): uniformly
    /// random in [cap, 4 × cap], i.e. 30 s to 2 min by default, without growing the exponential ceiling.
    /// </summary>
    public TimeSpan NextSlow() => TimeSpan.FromTicks(cap.Ticks + (long)(random.NextDouble() * 3 * cap.Ticks));

    /// <summary>Forgets past failures after a connection that worked.</summary>
    public void Reset() => _failures = 0;
}
