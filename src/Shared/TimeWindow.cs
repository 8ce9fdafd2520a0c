using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FleetNet;

/// <summary>A look-back window such as <c>30s</c>, <c>15m</c>, <c>1h</c>, <c>7d</c> or <c>2w</c>.</summary>
public static class TimeWindow
{
    /// <summary>The longest window any query accepts.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(3660);

    /// <summary>Parses a window; on failure <paramref name="error"/> says what is wrong, for the user.</summary>
    public static bool TryParse(string? text, out TimeSpan window, [NotNullWhen(false)] out string? error)
    {
        window = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "window is empty; use a number and a unit, e.g. 30s, 15m, 1h, 7d, 2w";
            return false;
        }

        var unit = text[^1];
        var perUnit = unit switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            'w' => TimeSpan.FromDays(7),
            _ => TimeSpan.Zero,
        };
        if (perUnit == TimeSpan.Zero
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            error = $"window '{text}' is not understood; use a number and a unit (s, m, h, d, w), e.g. 30s, 15m, 1h, 7d";
            return false;
        }

        if (count <= 0 || count > Max.Ticks / perUnit.Ticks)
        {
            error = $"window '{text}' is out of range; it must be more than 0 and at most {Max.TotalDays:0} days";
            return false;
        }

        window = perUnit * count;
        error = null;
        return true;
    }
}
