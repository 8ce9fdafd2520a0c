using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using FleetNet.Agent.Interop;

namespace FleetNet.Agent.Processes;

/// <summary>
/// Reads the few /proc files the process source needs, under a configurable root so tests can use
/// fixture trees. Processes vanish at any moment, so every read is a Try: nothing here throws for a
/// missing, unreadable, truncated or malformed file. Per-process reads build their paths and parse the
/// files as bytes on the stack, and take exe, cmdline and cgroup from <see cref="Strings"/>: a burst of
/// processes of one program allocates almost nothing but each process's <see cref="ProcessInfo"/>.
/// </summary>
internal sealed class ProcReader(string procRoot, StringPool? strings = null)
{
    /// <summary>USER_HZ, the unit of /proc/pid/stat times: 100 on every Linux ABI .NET runs on.</summary>
    public const ulong ClockTicksPerSecond = 100;

    /// <summary>Bytes of /proc/pid/cmdline kept; longer command lines are cut (the exe is always kept whole).</summary>
    public const int MaxCmdlineBytes = 4096;

    private const int StartTimeField = 22;
    private const int PathBytes = 512;

    private readonly byte[] _rootUtf8 = Encoding.UTF8.GetBytes(procRoot);

    public string Root { get; } = procRoot;

    /// <summary>The pool the per-process strings come from (shared with the comm of BPF records).</summary>
    public StringPool Strings { get; } = strings ?? new StringPool();

    /// <summary>Boot time in whole unix seconds (the btime line of /proc/stat).</summary>
    public bool TryReadBootTimeSeconds(out long btime)
    {
        btime = 0;
        var text = TryReadText(Path.Combine(Root, "stat"));
        var line = FindLine(text, "btime ");
        return line is not null && long.TryParse(line.AsSpan("btime ".Length).Trim(), out btime) && btime > 0;
    }

    /// <summary>Field 22 of /proc/pid/stat: start time in clock ticks since boot.</summary>
    public bool TryReadStartTicks(uint pid, out ulong ticks)
    {
        ticks = 0;
        Span<byte> path = stackalloc byte[PathBytes];
        Span<byte> buffer = stackalloc byte[1024];
        var length = RawFile.TryRead(PidPath(pid, "stat"u8, path), buffer);
        if (length <= 0)
        {
            return false;
        }

        // comm (field 2) may hold spaces and parentheses; fields are counted after its last ')'.
        var data = buffer[..length];
        var close = data.LastIndexOf((byte)')');
        if (close < 0)
        {
            return false;
        }

        var rest = data[(close + 1)..];
        for (var field = 3; ; field++)
        {
            rest = rest.TrimStart((byte)' ');
            var end = rest.IndexOfAny((byte)' ', (byte)'\n');
            if (end < 0)
            {
                // A field without a terminator may be cut short: a truncated file, not a value.
                return false;
            }

            if (field == StartTimeField)
            {
                return Utf8Parser.TryParse(rest[..end], out ticks, out var consumed) && consumed == end && end > 0;
            }

            rest = rest[end..];
        }
    }

    /// <summary>True when pid exists and is the process that started startBoottimeNs after boot.</summary>
    public bool IsAlive(uint pid, ulong startBoottimeNs) =>
        TryReadStartTicks(pid, out var ticks) && ticks == startBoottimeNs / (1_000_000_000 / ClockTicksPerSecond);

    /// <summary>exe, cmdline, uid and cgroup of a pid, after checking it is still the expected process.</summary>
    public ProcessInfo ReadProcess(uint pid, ulong startBoottimeNs)
    {
        if (!IsAlive(pid, startBoottimeNs))
        {
            return ProcessInfo.Unknown;
        }

        Span<byte> path = stackalloc byte[PathBytes];
        var buffer = ArrayPool<byte>.Shared.Rent(MaxCmdlineBytes);
        try
        {
            var data = Read(PidPath(pid, "cmdline"u8, path), buffer);
            var cmdline = Cmdline(data);

            // /proc/pid/status is ~1.5 KB; Uid: sits in its first lines, so a cut-off tail does not matter.
            data = Read(PidPath(pid, "status"u8, path), buffer);
            var uid = ParseFirstNumber(FindLine(data, "Uid:"u8), "Uid:".Length);

            data = Read(PidPath(pid, "cgroup"u8, path), buffer);
            var cgroupLine = FindLine(data, "0::"u8);
            var cgroup = cgroupLine.Length < "0::".Length ? "" : Strings.Get(cgroupLine["0::".Length..]);

            var length = RawFile.ReadLink(PidPath(pid, "exe"u8, path), buffer);
            var exe = length <= 0 ? "" : Strings.Get(buffer.AsSpan(0, length));
            return new ProcessInfo(Exe: exe, Cmdline: cmdline, Uid: uid, Cgroup: cgroup);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The CapEff mask of this process (from /proc/self/status), to tell why BPF may be refused.</summary>
    public bool TryReadEffectiveCapabilities(out ulong mask)
    {
        mask = 0;
        var line = FindLine(TryReadText(Path.Combine(Root, "self", "status")), "CapEff:");
        return line is not null && ulong.TryParse(line.AsSpan("CapEff:".Length).Trim(),
            System.Globalization.NumberStyles.AllowHexSpecifier, null, out mask);
    }

    /// <summary>"root/pid/file" as a NUL-terminated UTF-8 path in <paramref name="into"/>.</summary>
    private ReadOnlySpan<byte> PidPath(uint pid, ReadOnlySpan<byte> file, Span<byte> into)
    {
        var at = _rootUtf8.Length;
        if (at + 12 + file.Length > into.Length)
        {
            // A root this long is not a real /proc; an empty path just fails to open.
            into[0] = 0;
            return into[..1];
        }

        _rootUtf8.CopyTo(into);
        if (at == 0 || into[at - 1] != (byte)'/')
        {
            into[at++] = (byte)'/';
        }

        Utf8Formatter.TryFormat(pid, into[at..], out var digits);
        at += digits;
        into[at++] = (byte)'/';
        file.CopyTo(into[at..]);
        at += file.Length;
        into[at] = 0;
        return into[..(at + 1)];
    }

    private static Span<byte> Read(ReadOnlySpan<byte> path, byte[] buffer)
    {
        var length = RawFile.TryRead(path, buffer);
        return length <= 0 ? default : buffer.AsSpan(0, length);
    }

    /// <summary>The NUL-separated arguments joined by spaces (trailing NULs dropped), pooled.</summary>
    private string Cmdline(Span<byte> data)
    {
        data = data.TrimEnd((byte)0);
        data.Replace((byte)0, (byte)' ');
        return Strings.Get(data);
    }

    private static uint? ParseFirstNumber(ReadOnlySpan<byte> line, int start)
    {
        if (line.Length < start)
        {
            return null;
        }

        var rest = line[start..].TrimStart(" \t"u8);
        var end = rest.IndexOfAny((byte)' ', (byte)'\t');
        return uint.TryParse(end < 0 ? rest : rest[..end], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>The first line starting with <paramref name="prefix"/> (without its newline); empty when none.</summary>
    private static ReadOnlySpan<byte> FindLine(ReadOnlySpan<byte> text, ReadOnlySpan<byte> prefix)
    {
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            if (line.StartsWith(prefix))
            {
                return line;
            }

            text = end < 0 ? default : text[(end + 1)..];
        }

        return default;
    }

    private static string? FindLine(string? text, string prefix)
    {
        if (text is null)
        {
            return null;
        }

        foreach (var range in text.AsSpan().Split('\n'))
        {
            var line = text.AsSpan(range);
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line.ToString();
            }
        }

        return null;
    }

    private static string? TryReadText(string path)
    {
        // /proc files report size 0, so read until EOF rather than trusting the length.
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = RawFile.TryRead(path, buffer);
            return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
