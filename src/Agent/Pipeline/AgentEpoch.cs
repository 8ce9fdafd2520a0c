namespace FleetNet.Agent.Pipeline;

/// <summary>
/// This run's epoch: the unix milliseconds at start, so it is new on every agent start and the hub
/// can tell a restarted sequence (seq 1 again) from a replay of one it already stored.
/// </summary>
internal sealed record AgentEpoch(ulong Value)
{
    public static AgentEpoch Now(TimeProvider time) => new((ulong)time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>
    /// An epoch above every epoch still in the spool, even if the clock went backwards across the
    /// restart: the hub accepts replayed batches of epochs up to the Hello's.
    /// </summary>
    public static AgentEpoch After(ulong spooledMax, TimeProvider time) =>
        new(Math.Max((ulong)time.GetUtcNow().ToUnixTimeMilliseconds(), spooledMax + 1));
}
