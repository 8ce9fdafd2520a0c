namespace FleetNet.Fuzz;

/// <summary>A clock that never moves, so a fuzz input means the same thing on every run.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
