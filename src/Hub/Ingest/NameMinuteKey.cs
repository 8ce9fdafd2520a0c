namespace FleetNet.Hub.Ingest;

/// <summary>One program (comm, exe) in one minute bucket; ordered by minute, then ordinal comm and exe.</summary>
internal readonly record struct NameMinuteKey(long MinuteMs, string Comm, string Exe) : IComparable<NameMinuteKey>
{
    public int CompareTo(NameMinuteKey other)
    {
        var c = MinuteMs.CompareTo(other.MinuteMs);
        if (c == 0)
        {
            c = string.CompareOrdinal(Comm, other.Comm);
        }

        return c != 0 ? c : string.CompareOrdinal(Exe, other.Exe);
    }
}
