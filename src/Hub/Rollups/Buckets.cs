namespace FleetNet.Hub.Rollups;

/// <summary>
/// A bucket B of size S holds the samples whose time (the end of their interval) lies in (B, B + S], so a
/// sample ending exactly on the minute belongs to the minute it closes.
/// </summary>
internal static class Buckets
{
    public static long MinuteOf(long unixMs)
    {
        var t = unixMs - 1;
        return t - ((t % 60_000) + 60_000) % 60_000;
    }

    public static DateTimeOffset Floor(DateTimeOffset t, TimeSpan size) => new(t.UtcTicks - t.UtcTicks % size.Ticks, TimeSpan.Zero);

    public static DateTimeOffset Ceiling(DateTimeOffset t, TimeSpan size)
    {
        var floor = Floor(t, size);
        return floor == t ? t : floor + size;
    }
}
