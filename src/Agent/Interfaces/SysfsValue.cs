using System.Buffers.Text;
using FleetNet.Agent.Interop;

namespace FleetNet.Agent.Interfaces;

/// <summary>Reads one small numeric sysfs/procfs attribute without allocating.</summary>
internal static class SysfsValue
{
    // Attribute files are one short line; anything longer is not a number we understand.
    private const int MaxLength = 64;

    /// <summary>Parses a signed decimal value; false when the file is absent, unreadable or garbled.</summary>
    public static bool TryReadInt64(string path, out long value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        value = 0;
        return TryRead(path, buffer, out var text)
            && Utf8Parser.TryParse(text, out value, out var consumed)
            && consumed == text.Length;
    }

    /// <summary>Parses an unsigned decimal value; false when the file is absent, unreadable or garbled.</summary>
    public static bool TryReadUInt64(string path, out ulong value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        value = 0;
        return TryRead(path, buffer, out var text)
            && Utf8Parser.TryParse(text, out value, out var consumed)
            && consumed == text.Length;
    }

    private static bool TryRead(string path, Span<byte> buffer, out ReadOnlySpan<byte> text)
    {
        text = default;
        // -1: absent, gone mid-read, or EINVAL (e.g. `speed` of a link that is down).
        var length = RawFile.TryRead(path, buffer);
        if (length < 0)
        {
            return false;
        }

        if (length == buffer.Length)
        {
            return false;
        }

        text = buffer[..length].TrimEnd("\n "u8);
        return !text.IsEmpty;
    }
}
