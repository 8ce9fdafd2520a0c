namespace FleetNet.Hub.Query;

/// <summary>
/// The host condition of a query ($1 host name, $2 label key, $3 label value), written only for the filters
/// given: <c>host_id = ANY(ARRAY(...))</c> is evaluated once, so the planner can use the (host_id, time) and
/// (host_id, bucket) indexes, and a fleet-wide query carries no condition at all.
/// </summary>
internal static class HostSql
{
    public static string Filter(QueryFilters filters) => (filters.Host is not null, filters.LabelKey is not null) switch
    {
        (true, true) => " AND host_id = ANY(ARRAY(SELECT id FROM hosts WHERE name = $1 AND labels ->> $2 = $3))",
        (true, false) => " AND host_id = ANY(ARRAY(SELECT id FROM hosts WHERE name = $1))",
        (false, true) => " AND host_id = ANY(ARRAY(SELECT id FROM hosts WHERE labels ->> $2 = $3))",
        _ => "",
    };
}
