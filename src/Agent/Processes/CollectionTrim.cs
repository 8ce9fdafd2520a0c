namespace FleetNet.Agent.Processes;

/// <summary>
/// Clears the agent's per-interval collections so that a burst (thousands of processes in one interval)
/// does not pin its peak capacity for the rest of the run: a collection that held more than
/// <see cref="KeepEntries"/> and now needs under a quarter of that gives its storage back.
/// </summary>
internal static class CollectionTrim
{
    /// <summary>Capacity every collection may keep whatever it held (a quiet host's working set).</summary>
    public const int KeepEntries = 1024;

    /// <summary>Empties <paramref name="dictionary"/>, trimming it when it is far larger than <paramref name="next"/> entries need.</summary>
    public static void Clear<TKey, TValue>(Dictionary<TKey, TValue> dictionary, int next)
        where TKey : notnull
    {
        var capacity = dictionary.EnsureCapacity(0);
        dictionary.Clear();
        if (capacity > KeepEntries && next < capacity / 4)
        {
            dictionary.TrimExcess(Math.Max(next, KeepEntries));
        }
    }

    /// <summary>As <see cref="Clear{TKey, TValue}(Dictionary{TKey, TValue}, int)"/> for a set.</summary>
    public static void Clear<T>(HashSet<T> set)
    {
        var capacity = set.EnsureCapacity(0);
        var used = set.Count;
        set.Clear();
        if (capacity > KeepEntries && used < capacity / 4)
        {
            set.TrimExcess(KeepEntries);
        }
    }

    /// <summary>Empties <paramref name="list"/>, trimming it after a burst when the last use was small.</summary>
    public static void Clear<T>(List<T> list)
    {
        var used = list.Count;
        list.Clear();
        if (list.Capacity > KeepEntries && used < list.Capacity / 4)
        {
            list.Capacity = KeepEntries;
        }
    }

    /// <summary>Trims <paramref name="dictionary"/> (kept across intervals) when it holds under a quarter of its capacity.</summary>
    public static void Trim<TKey, TValue>(Dictionary<TKey, TValue> dictionary)
        where TKey : notnull
    {
        var capacity = dictionary.EnsureCapacity(0);
        if (capacity > KeepEntries && dictionary.Count < capacity / 4)
        {
            dictionary.TrimExcess(Math.Max(dictionary.Count, KeepEntries));
        }
    }
}
