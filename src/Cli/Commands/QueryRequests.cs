using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using FleetNet.Protocol.V1;

namespace FleetNet.Cli.Commands;

/// <summary>
/// The command line of <c>top</c>, <c>timeline</c> and <c>trend</c> as gRPC requests. Only what must be a
/// number or a known word is checked here; windows, steps and labels go to the hub as typed, so a bad one
/// gets the hub's sentence (the same as the REST API's).
/// </summary>
internal static class QueryRequests
{
    public static readonly string[] Groupings = ["processes", "names", "hosts", "containers", "endpoints", "interfaces"];

    public static bool TryTop(CliArguments args, [NotNullWhen(true)] out TopRequest? request, [NotNullWhen(false)] out string? error)
    {
        request = null;
        var by = args.Get("--by") ?? "processes";
        if (Array.IndexOf(Groupings, by) < 0)
        {
            error = $"--by '{by}' is not known; use {string.Join(", ", Groupings)}";
            return false;
        }

        if (!TryNumber(args, "--limit", 1, 1000, out var limit, out error) || !TryNumber(args, "--offset", 0, 1_000_000, out var offset, out error))
        {
            return false;
        }

        request = new TopRequest
        {
            GroupBy = by,
            Window = args.Get("--window") ?? "",
            From = args.Get("--from") ?? "",
            To = args.Get("--to") ?? "",
            Limit = limit,
            Offset = offset,
            Host = args.Get("--host") ?? "",
            Label = args.Get("--label") ?? "",
            Container = args.Get("--container") ?? "",
            Process = args.Get("--process") ?? "",
        };
        return true;
    }

    public static bool TryTimeline(CliArguments args, [NotNullWhen(true)] out TimelineRequest? request, [NotNullWhen(false)] out string? error)
    {
        request = null;
        var series = args.Get("--series") ?? "";
        if (series is not ("" or "processes" or "interfaces"))
        {
            error = $"--series '{series}' is not known; use processes or interfaces";
            return false;
        }

        request = new TimelineRequest
        {
            Series = series,
            Window = args.Get("--window") ?? "",
            From = args.Get("--from") ?? "",
            To = args.Get("--to") ?? "",
            Step = args.Get("--step") ?? "",
            Host = args.Get("--host") ?? "",
            Label = args.Get("--label") ?? "",
            Process = args.Get("--process") ?? "",
            Interface = args.Get("--interface") ?? "",
        };
        error = null;
        return true;
    }

    public static bool TryTrends(CliArguments args, [NotNullWhen(true)] out TrendsRequest? request, [NotNullWhen(false)] out string? error)
    {
        request = null;
        var period = args.Get("--period") ?? "";
        if (period is not ("" or "day" or "week"))
        {
            error = $"--period '{period}' is not known; use day or week";
            return false;
        }

        request = new TrendsRequest
        {
            Window = args.Get("--window") ?? "",
            From = args.Get("--from") ?? "",
            To = args.Get("--to") ?? "",
            Period = period,
            Host = args.Get("--host") ?? "",
            Label = args.Get("--label") ?? "",
            Interface = args.Get("--interface") ?? "",
        };
        error = null;
        return true;
    }

    /// <summary>The window as the header shows it: <c>last 1h</c> or <c>from … to …</c>.</summary>
    public static string Describe(string window, string from, string to, string defaultWindow) =>
        from.Length > 0 || to.Length > 0 ? $"from {(from.Length > 0 ? from : "?")} to {(to.Length > 0 ? to : "now")}" : $"last {(window.Length > 0 ? window : defaultWindow)}";

    /// <summary>An optional whole number in [min, max]; 0 (absent) lets the hub apply its default.</summary>
    private static bool TryNumber(CliArguments args, string name, int min, int max, out int value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        error = null;
        if (args.Get(name) is not { } text)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        error = $"{name} '{text}' is not valid; it must be a whole number from {min} to {max}";
        return false;
    }
}
