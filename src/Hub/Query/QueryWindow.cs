using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using FleetNet.Hub.Rollups;

namespace FleetNet.Hub.Query;

/// <summary>
/// The (from, to] a query covers: <c>window=</c> back from the end of the current minute, or explicit
/// <c>from=</c>/<c>to=</c> (ISO 8601), taken as given.
/// </summary>
internal static class QueryWindow
{
    public static bool TryParse(string? window, string? from, string? to, string defaultWindow, DateTimeOffset now,
        out DateTimeOffset start, out DateTimeOffset end, [NotNullWhen(false)] out string? error)
    {
        start = end = default;
        if (!string.IsNullOrEmpty(from) || !string.IsNullOrEmpty(to))
        {
            if (!string.IsNullOrEmpty(window))
            {
                error = "give either window or from/to, not both";
                return false;
            }

            if (!DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start))
            {
                error = $"from '{from}' is not a date and time; use ISO 8601, e.g. 2026-11-25T10:00:00Z";
                return false;
            }

            end = now;
            if (!string.IsNullOrEmpty(to) && !DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out end))
            {
                error = $"to '{to}' is not a date and time; use ISO 8601, e.g. 2026-11-25T11:00:00Z";
                return false;
            }

            if (end <= start)
            {
                error = "to must be later than from";
                return false;
            }

            if (end - start > TimeWindow.Max)
            {
                error = $"from/to span more than {TimeWindow.Max.TotalDays:0} days";
                return false;
            }

            start = start.ToUniversalTime();
            end = end.ToUniversalTime();
            error = null;
            return true;
        }

        if (!TimeWindow.TryParse(string.IsNullOrEmpty(window) ? defaultWindow : window, out var span, out error))
        {
            return false;
        }

        // A sliding window ends at the end of the current minute (the newest samples included), so it covers whole
        // minute buckets and the minute tables can answer it without raw rows; the answer's from/to say so.
        end = SlidingEnd(now);
        start = end - span;
        return true;
    }

    /// <summary>Where a <c>window=</c> ends: the end of the current minute.</summary>
    public static DateTimeOffset SlidingEnd(DateTimeOffset now) => Buckets.Ceiling(now, TimeSpan.FromMinutes(1));

    public static bool TryParseLabel(string? label, out string? key, out string? value, [NotNullWhen(false)] out string? error)
    {
        key = value = null;
        error = null;
        if (string.IsNullOrEmpty(label))
        {
            return true;
        }

        var eq = label.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            error = $"label '{label}' is not understood; use key=value, e.g. role=db";
            return false;
        }

        key = label[..eq];
        value = label[(eq + 1)..];
        return true;
    }
}
