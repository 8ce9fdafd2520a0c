using System.Diagnostics.CodeAnalysis;

namespace FleetNet.Hub.Query;

/// <summary>
/// Validated parameters of a timeline (or trend): the series (process traffic or interface traffic), the
/// window, the step (1m, 1h, 1d, or week for trends) and the filters (host, label, process, interface).
/// </summary>
internal sealed record TimelineParameters(bool Interfaces, DateTimeOffset From, DateTimeOffset To, string Step, QueryFilters Filters, string? Interface)
{
    public const string DefaultWindow = "1h";

    public TimeSpan StepSize => Step switch
    {
        "1m" => TimeSpan.FromMinutes(1),
        "1h" => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };

    public string StepUnit => Step switch
    {
        "1m" => "minute",
        "1h" => "hour",
        "1w" => "week",
        _ => "day",
    };

    public static bool TryCreate(string? series, string? window, string? from, string? to, string? step, string defaultWindow,
        string? host, string? label, string? process, string? iface, DateTimeOffset now,
        [NotNullWhen(true)] out TimelineParameters? parameters, [NotNullWhen(false)] out string? error)
    {
        parameters = null;
        if (series is not (null or "" or "processes" or "interfaces"))
        {
            error = $"series '{series}' is not known; use processes or interfaces";
            return false;
        }

        if (!QueryWindow.TryParse(window, from, to, defaultWindow, now, out var start, out var end, out error)
            || !QueryWindow.TryParseLabel(label, out var key, out var value, out error))
        {
            return false;
        }

        var span = end - start;
        var chosen = string.IsNullOrEmpty(step)
            ? span <= TimeSpan.FromHours(3) ? "1m" : span <= TimeSpan.FromDays(7) ? "1h" : "1d"
            : step;
        if (chosen is not ("1m" or "1h" or "1d" or "1w"))
        {
            error = $"step '{step}' is not known; use 1m, 1h, 1d or 1w";
            return false;
        }

        if (chosen == "1m" && span > TimeSpan.FromDays(2))
        {
            error = "step 1m is allowed for windows up to 2 days; use 1h or 1d";
            return false;
        }

        parameters = new TimelineParameters(series == "interfaces" || !string.IsNullOrEmpty(iface), start, end, chosen,
            new QueryFilters(string.IsNullOrEmpty(host) ? null : host, key, value, null, string.IsNullOrEmpty(process) ? null : process),
            string.IsNullOrEmpty(iface) ? null : iface);
        return true;
    }
}
