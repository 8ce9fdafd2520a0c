namespace FleetNet.Hub.Storage;

/// <summary>Agent counters (unsigned 64-bit) for PostgreSQL's signed <c>bigint</c> columns.</summary>
internal static class Bigint
{
    /// <summary>The value, or <see cref="long.MaxValue"/> for the (never reached in practice) values above it.</summary>
    public static long Clamp(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;
}
