using System.Diagnostics.CodeAnalysis;

namespace FleetNet.Hub.Query;

/// <summary>Validated parameters of a top-processes query, shared by REST and gRPC.</summary>
internal sealed record TopProcessesRequestParameters(TimeSpan Window, int Limit, string? Host)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 1000;
    public const string DefaultWindow = "1h";

    /// <summary>Parses raw values; <paramref name="error"/> is a sentence for the user when they are wrong.</summary>
    public static bool TryCreate(string? window, string? limit, string? host,
        [NotNullWhen(true)] out TopProcessesRequestParameters? parameters, [NotNullWhen(false)] out string? error)
    {
        parameters = null;
        if (!TimeWindow.TryParse(string.IsNullOrEmpty(window) ? DefaultWindow : window, out var span, out error))
        {
            return false;
        }

        var count = DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, out count) || count < 1 || count > MaxLimit))
        {
            error = $"limit '{limit}' is not valid; it must be a whole number from 1 to {MaxLimit}";
            return false;
        }

        parameters = new TopProcessesRequestParameters(span, count, string.IsNullOrEmpty(host) ? null : host);
        return true;
    }
}
