namespace FleetNet.Agent.Pipeline;

/// <summary>A batch's string table: each distinct string once, entry 0 is "".</summary>
internal sealed class StringTable
{
    private readonly Dictionary<string, uint> _indices = new(StringComparer.Ordinal);
    private readonly List<string> _strings = [];

    public StringTable() => Clear();

    /// <summary>The strings in index order.</summary>
    public IReadOnlyList<string> Strings => _strings;

    /// <summary>Starts a new table holding only "".</summary>
    public void Clear()
    {
        _indices.Clear();
        _strings.Clear();
        _indices.Add("", 0);
        _strings.Add("");
    }

    /// <summary>The index of <paramref name="value"/>, adding it on first use.</summary>
    public uint Intern(string value)
    {
        if (!_indices.TryGetValue(value, out var index))
        {
            index = (uint)_strings.Count;
            _indices.Add(value, index);
            _strings.Add(value);
        }

        return index;
    }
}
