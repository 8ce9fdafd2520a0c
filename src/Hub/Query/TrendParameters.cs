using System.Diagnostics.CodeAnalysis;

namespace FleetNet.Hub.Query;

/// <summary>Validated parameters of a trend (interface totals per day or week), shared by REST and gRPC.</summary>
internal static class TrendParameters
{
    public const string DefaultWindow = "90d";

    public static bool TryCreate(string? window, string? from, string? to, string? period, string? host, string? label, string? iface, DateTimeOffset now,
        [NotNullWhen(true)] out TimelineParameters? parameters, [NotNullWhen(false)] out string? error)
    {
        var step = period switch { null or "" or "day" => "1d", "week" => "1w", _ => null };
        if (step is null)
        {
            parameters = null;
            error = $"period '{period}' is not known; use day or week";
            return false;
        }

        return TimelineParameters.TryCreate("interfaces", window, from, to, step, DefaultWindow, host, label, null, iface, now, out parameters, out error);
    }
}
