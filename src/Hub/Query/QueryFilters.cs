namespace FleetNet.Hub.Query;

/// <summary>Optional filters shared by every query: host name, host label (key=value), container or unit, process (comm or exe).</summary>
internal sealed record QueryFilters(string? Host, string? LabelKey, string? LabelValue, string? Container, string? Process)
{
    public static readonly QueryFilters None = new(null, null, null, null, null);

    public bool NarrowsHosts => Host is not null || LabelKey is not null || Container is not null;
}
