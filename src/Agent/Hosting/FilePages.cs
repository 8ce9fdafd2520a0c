using System.Globalization;

namespace FleetNet.Agent.Hosting;

/// <summary>
/// Gives back the agent's own file pages it is not running: its binary's code and read-only data, and
/// the shared libraries', that start-up touched (the host, the configuration, the eBPF loader) or that
/// the kernel mapped along with them (it maps 64 KB around each page a process touches). They are
/// unmapped with <c>madvise(MADV_DONTNEED)</c>: the pages stay in the page cache and come back, as minor
/// faults, only when the agent runs them again. Without this, about 9 MiB of the 11.5 MB binary stay
/// in the agent's RSS for its whole life. Called once the eBPF programs are loaded (Program.cs), and
/// around each compacting collection of <see cref="MemoryGiveBack"/>.
/// </summary>
/// <remarks>
/// Only mappings of a file, not writable, with no anonymous page (nothing of theirs was ever written:
/// relocated data is) are given back, so what comes back is the file's unchanged content.
/// </remarks>
internal static class FilePages
{
    /// <summary>Unmaps this process's releasable file pages; returns how many bytes were resident in them.</summary>
    public static long Release()
    {
        // Read line by line: the whole file is ~70 KB of text, a large-object string at every give-back.
        List<Mapping> mappings;
        try
        {
            mappings = Releasable(File.ReadLines("/proc/self/smaps"));
        }
        catch (IOException)
        {
            return 0;
        }

        long released = 0;
        foreach (var mapping in mappings)
        {
            if (Interop.Interop.madvise((nint)mapping.Start, (nuint)(mapping.End - mapping.Start), Interop.Interop.MADV_DONTNEED) == 0)
            {
                released += mapping.ResidentBytes;
            }
        }

        return released;
    }

    /// <summary>The mappings in the lines of <c>/proc/PID/smaps</c> that <see cref="Release"/> gives back.</summary>
    internal static List<Mapping> Releasable(IEnumerable<string> smaps)
    {
        var result = new List<Mapping>();
        Mapping? current = null;
        var releasable = false;
        long anonymous = -1;
        foreach (var line in smaps)
        {
            if (TryParseHeader(line, out var mapping, out var candidate))
            {
                Close();
                current = mapping;
                releasable = candidate;
                anonymous = -1;
            }
            else if (current is not null && TryField(line, "Rss:", out var rss))
            {
                current = current.Value with { ResidentBytes = rss };
            }
            else if (current is not null && TryField(line, "Anonymous:", out var anon))
            {
                anonymous = anon;
            }
        }

        Close();
        return result;

        // A mapping whose Anonymous line is missing (an older kernel, a malformed file) is left alone.
        void Close()
        {
            if (current is { } m && releasable && anonymous == 0 && m.ResidentBytes > 0)
            {
                result.Add(m);
            }
        }
    }

    /// <summary>"start-end perms offset dev inode path": a mapping, and whether it is a read-only file mapping.</summary>
    private static bool TryParseHeader(ReadOnlySpan<char> line, out Mapping mapping, out bool readOnlyFile)
    {
        mapping = default;
        readOnlyFile = false;
        var dash = line.IndexOf('-');
        var space = line.IndexOf(' ');
        if (dash <= 0 || space <= dash
            || !ulong.TryParse(line[..dash], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(line[(dash + 1)..space], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end)
            || end <= start)
        {
            return false;
        }

        var rest = line[(space + 1)..];
        if (rest.Length < 4)
        {
            return false;
        }

        var writable = rest[1] == 'w';
        var shared = rest[3] == 's';
        var slash = rest.IndexOf('/');
        mapping = new Mapping(start, end, 0);
        readOnlyFile = !writable && !shared && slash >= 0;
        return true;
    }

    /// <summary>"Name:   123 kB" as bytes.</summary>
    private static bool TryField(ReadOnlySpan<char> line, string name, out long bytes)
    {
        bytes = 0;
        if (!line.StartsWith(name, StringComparison.Ordinal))
        {
            return false;
        }

        var value = line[name.Length..].Trim();
        if (!value.EndsWith(" kB", StringComparison.Ordinal)
            || !long.TryParse(value[..^3], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
        {
            return false;
        }

        bytes = kib * 1024;
        return true;
    }

    internal readonly record struct Mapping(ulong Start, ulong End, long ResidentBytes);
}
