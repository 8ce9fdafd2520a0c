using System.Buffers;
using System.Buffers.Text;
using System.Text;
using FleetNet.Agent.Interop;

namespace FleetNet.Agent.Processes;

/// <summary>
/// Reads the few /proc files the process source needs, under a configurable root so tests can use
/// fixture trees. Processes vanish at any moment, so every read is a Try: nothing here throws for a
/// missing, unreadable, truncated or malformed file.
/// </summary>
internal sealed class ProcReader(string procRoot)
{
    /// <summary>USER_HZ, the unit of /proc/pid/stat times: 100 on every Linux ABI .NET runs on.</summary>
    public const ulong ClockTicksPerSecond = 100;

    private const int StartTimeField = 22;

    public string Root { get; } = procRoot;

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
        Span<byte> buffer = stackalloc byte[1024];
        var length = TryReadBytes(PidPath(pid, "stat"), buffer);
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

        var cmdline = TryReadText(PidPath(pid, "cmdline")) ?? "";
        var uidLine = FindLine(TryReadText(PidPath(pid, "status")), "Uid:");
        var cgroupLine = FindLine(TryReadText(PidPath(pid, "cgroup")), "0::");
        return new ProcessInfo(
            Exe: TryReadLink(PidPath(pid, "exe")),
            Cmdline: cmdline.TrimEnd('\0').Replace('\0', ' '),
            Uid: ParseFirstNumber(uidLine, "Uid:".Length),
            Cgroup: cgroupLine is null ? "" : cgroupLine["0::".Length..]);
    }

    /// <summary>The CapEff mask of this process (from /proc/self/status), to tell why BPF may be refused.</summary>
    public bool TryReadEffectiveCapabilities(out ulong mask)
    {
        mask = 0;
        var line = FindLine(TryReadText(Path.Combine(Root, "self", "status")), "CapEff:");
        return line is not null && ulong.TryParse(line.AsSpan("CapEff:".Length).Trim(),
            System.Globalization.NumberStyles.AllowHexSpecifier, null, out mask);
    }

    private string PidPath(uint pid, string file) => Path.Combine(Root, pid.ToString(), file);

    private static uint? ParseFirstNumber(string? line, int start)
    {
        if (line is null)
        {
            return null;
        }

        var rest = line.AsSpan(start).TrimStart();
        var end = rest.IndexOfAny(' ', '\t');
        return uint.TryParse(end < 0 ? rest : rest[..end], out var value) ? value : null;
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

    private static string TryReadLink(string path) => RawFile.ReadLink(path);

    private static string? TryReadText(string path)
    {
        // /proc files report size 0, so read until EOF rather than trusting the length.
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = TryReadBytes(path, buffer);
            return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads up to buffer.Length bytes; -1 when the file is missing or unreadable.</summary>
    private static int TryReadBytes(string path, Span<byte> buffer) => RawFile.TryRead(path, buffer);
}
