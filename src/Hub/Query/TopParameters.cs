using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FleetNet.Hub.Query;

/// <summary>Validated parameters of a top-N query, shared by REST and gRPC.</summary>
internal sealed record TopParameters(GroupBy GroupBy, DateTimeOffset From, DateTimeOffset To, int Limit, int Offset, QueryFilters Filters)
{
    public const int MaxOffset = 1_000_000;

    public static bool TryParseGroupBy(string? text, out GroupBy groupBy, [NotNullWhen(false)] out string? error)
    {
        error = null;
        (groupBy, var ok) = text switch
        {
            "processes" => (GroupBy.Process, true),
            "names" or "process-names" => (GroupBy.Name, true),
            "hosts" => (GroupBy.Host, true),
            "containers" => (GroupBy.Container, true),
            "endpoints" => (GroupBy.Endpoint, true),
            "interfaces" => (GroupBy.Interface, true),
            _ => (GroupBy.Process, false),
        };
        if (!ok)
        {
            error = $"'{text}' cannot be ranked; use processes, names, hosts, containers, endpoints or interfaces";
        }

        return ok;
    }

    public static bool TryCreate(GroupBy groupBy, string? window, string? from, string? to, string? limit, string? offset,
        string? host, string? label, string? container, string? process, DateTimeOffset now,
        [NotNullWhen(true)] out TopParameters? parameters, [NotNullWhen(false)] out string? error)
    {
        parameters = null;
        if (!QueryWindow.TryParse(window, from, to, TopProcessesRequestParameters.DefaultWindow, now, out var start, out var end, out error))
        {
            return false;
        }

        var count = TopProcessesRequestParameters.DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > TopProcessesRequestParameters.MaxLimit))
        {
            error = $"limit '{limit}' is not valid; it must be a whole number from 1 to {TopProcessesRequestParameters.MaxLimit}";
            return false;
        }

        var skip = 0;
        if (!string.IsNullOrEmpty(offset) && (!int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip > MaxOffset))
        {
            error = $"offset '{offset}' is not valid; it must be a whole number from 0 to {MaxOffset}";
            return false;
        }

        if (!QueryWindow.TryParseLabel(label, out var key, out var value, out error))
        {
            return false;
        }

        parameters = new TopParameters(groupBy, start, end, count, skip,
            new QueryFilters(Empty(host), key, value, Empty(container), Empty(process)));
        return true;
    }

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
