using System.Buffers;
using System.Text;

namespace FleetNet.Agent.Processes;

/// <summary>
/// Shares the strings the agent reads per process (comm, exe, cmdline, cgroup path): thousands of
/// processes of one program name the same few strings, so a burst of short-lived processes costs one
/// string per distinct value instead of one per process, and a value already known allocates nothing
/// (it is looked up by its UTF-8 bytes decoded on the stack). Bounded: past <see cref="MaxEntries"/>
/// the pool starts over (strings in use stay valid; only sharing with older ones is lost).
/// Not thread-safe: each collector owns its pool.
/// </summary>
internal sealed class StringPool
{
    /// <summary>Distinct strings kept before the pool starts over.</summary>
    public const int MaxEntries = 4096;

    private const int StackChars = 512;

    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Distinct strings held now (for tests).</summary>
    public int Count => _strings.Count;

    /// <summary>The pooled string equal to the UTF-8 <paramref name="utf8"/>.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }

        char[]? rented = null;
        var chars = utf8.Length <= StackChars
            ? stackalloc char[StackChars]
            : rented = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(utf8.Length));
        try
        {
            return Get(chars[..Encoding.UTF8.GetChars(utf8, chars)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The pooled string of a NUL-terminated UTF-8 field of a BPF record (comm, exe): up to its first NUL.</summary>
    public string GetTerminated(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Get(end < 0 ? field : field[..end]);
    }

    /// <summary>The pooled string equal to <paramref name="chars"/>.</summary>
    public string Get(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return "";
        }

        if (_lookup.TryGetValue(chars, out var known))
        {
            return known;
        }

        if (_strings.Count >= MaxEntries)
        {
            _strings.Clear();
            _strings.TrimExcess();
        }

        var value = chars.ToString();
        _strings.Add(value);
        return value;
    }
}
