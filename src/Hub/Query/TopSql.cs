using System.Text;

namespace FleetNet.Hub.Query;

/// <summary>
/// Builds the SQL of a top-N query from constant fragments: one aggregate per segment (raw samples or a
/// rollup level), summed, joined to the dimensions, filtered, ranked. Parameters: $1 host, $2 label key,
/// $3 label value, $4 container, $5 process, $6 offset, $7 offset + limit, then (from, to) per segment.
/// </summary>
internal static class TopSql
{
    private const string Columns = "host, process, exe, pid, start_time, cmdline, cgroup, uid, container, interface, address, port";

    public static string Build(GroupBy groupBy, QueryFilters filters, IReadOnlyList<Segment> segments)
    {
        var hostFilter = HostSql.Filter(filters);
        var parts = new List<string>();
        for (var i = 0; i < segments.Count; i++)
        {
            var a = $"${8 + 2 * i}";
            var b = $"${9 + 2 * i}";
            var raw = segments[i].Source == "raw";
            var range = raw ? $"time > {a} AND time <= {b}" : $"bucket >= {a} AND bucket < {b}";
            var level = segments[i].Source;
            parts.Add(groupBy switch
            {
                GroupBy.Name when !filters.NarrowsHosts => raw
                    ? $"SELECT p.comm, p.exe, s.tx_bytes, s.rx_bytes, s.tx_calls, s.rx_calls FROM process_samples s JOIN processes p ON p.id = s.process_id WHERE s.{range}"
                    : $"SELECT comm, exe, tx_bytes, rx_bytes, tx_calls, rx_calls FROM name_{level} WHERE {range}",
                GroupBy.Interface => raw
                    ? $"SELECT host_id, interface_id, tx_bytes, rx_bytes, 0::bigint AS tx_calls, 0::bigint AS rx_calls FROM interface_samples WHERE {range}{hostFilter}"
                    : $"SELECT host_id, interface_id, tx_bytes, rx_bytes, 0::bigint AS tx_calls, 0::bigint AS rx_calls FROM interface_{level} WHERE {range}{hostFilter}",
                GroupBy.Endpoint =>
                    $"SELECT host_id, process_id, endpoint_id, tx_bytes, rx_bytes, tx_calls, rx_calls FROM endpoint_samples WHERE {range}{hostFilter}",
                _ => raw
                    ? $"SELECT host_id, process_id, tx_bytes, rx_bytes, tx_calls, rx_calls FROM process_samples WHERE {range}{hostFilter}"
                    : $"SELECT host_id, process_id, tx_bytes, rx_bytes, tx_calls, rx_calls FROM process_{level} WHERE {range}{hostFilter}",
            });
        }

        var data = parts.Count == 0 ? "SELECT NULL::bigint AS host_id, NULL::bigint AS process_id, 0::bigint AS tx_bytes, 0::bigint AS rx_bytes, 0::bigint AS tx_calls, 0::bigint AS rx_calls WHERE false" : string.Join("\nUNION ALL\n", parts);
        var sums = "sum(tx_bytes) AS tx, sum(rx_bytes) AS rx, sum(tx_calls) AS txc, sum(rx_calls) AS rxc";
        var dsums = "sum(d.tx) AS tx, sum(d.rx) AS rx, sum(d.txc) AS txc, sum(d.rxc) AS rxc";
        const string ProcessFilter = "($5::text IS NULL OR p.comm = $5 OR p.exe = $5)";
        const string ContainerFilter = "($4::text IS NULL OR c.container_name = $4 OR c.unit = $4 OR p.cgroup = $4)";
        var grouped = groupBy switch
        {
            GroupBy.Name when !filters.NarrowsHosts => $"""
                SELECT NULL::text AS host, comm AS process, exe, NULL::integer AS pid, NULL::timestamptz AS start_time, NULL::text AS cmdline,
                       NULL::text AS cgroup, NULL::bigint AS uid, NULL::text AS container, NULL::text AS interface, NULL::text AS address, NULL::integer AS port, {sums}
                FROM data WHERE ($5::text IS NULL OR comm = $5 OR exe = $5) GROUP BY comm, exe
                """,
            GroupBy.Interface => $"""
                SELECT h.name AS host, NULL::text AS process, NULL::text AS exe, NULL::integer AS pid, NULL::timestamptz AS start_time, NULL::text AS cmdline,
                       NULL::text AS cgroup, NULL::bigint AS uid, NULL::text AS container, i.name AS interface, NULL::text AS address, NULL::integer AS port, {dsums}
                FROM (SELECT host_id, interface_id, {sums} FROM data GROUP BY 1, 2) d
                JOIN hosts h ON h.id = d.host_id JOIN interfaces i ON i.id = d.interface_id
                GROUP BY h.name, i.name
                """,
            GroupBy.Endpoint => $"""
                SELECT NULL::text AS host, NULL::text AS process, NULL::text AS exe, NULL::integer AS pid, NULL::timestamptz AS start_time, NULL::text AS cmdline,
                       NULL::text AS cgroup, NULL::bigint AS uid, NULL::text AS container, NULL::text AS interface,
                       coalesce(host(e.address), 'other') AS address, e.port, {dsums}
                FROM (SELECT process_id, endpoint_id, {sums} FROM data GROUP BY 1, 2) d
                JOIN endpoints e ON e.id = d.endpoint_id JOIN processes p ON p.id = d.process_id LEFT JOIN cgroups c ON c.id = p.cgroup_ref
                WHERE {ProcessFilter} AND {ContainerFilter}
                GROUP BY 11, 12
                """,
            _ => $"""
                SELECT {Keys(groupBy)}, {dsums}
                FROM (SELECT host_id, process_id, {sums} FROM data GROUP BY 1, 2) d
                JOIN processes p ON p.id = d.process_id JOIN hosts h ON h.id = d.host_id LEFT JOIN cgroups c ON c.id = p.cgroup_ref
                WHERE {ProcessFilter} AND {ContainerFilter}
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
                """,
        };

        var sql = new StringBuilder();
        sql.Append("WITH data AS (\n").Append(data).Append("\n), grouped AS (\n").Append(grouped).Append("\n), ranked AS (\n")
            .Append($"SELECT g.*, row_number() OVER (ORDER BY g.tx + g.rx DESC, {Columns}) AS rn FROM grouped g\n)\n")
            .Append($"""
                SELECT r.{Columns.Replace(", ", ", r.", StringComparison.Ordinal)}, r.tx, r.rx, r.txc, r.rxc,
                       t.ttx, t.trx, t.htx, t.hrx, t.n
                FROM (SELECT coalesce(sum(tx), 0) AS ttx, coalesce(sum(rx), 0) AS trx,
                             coalesce(sum(tx) FILTER (WHERE rn <= $7), 0) AS htx, coalesce(sum(rx) FILTER (WHERE rn <= $7), 0) AS hrx,
                             count(*) AS n FROM ranked) t
                LEFT JOIN ranked r ON r.rn > $6 AND r.rn <= $7
                ORDER BY r.rn
                """);
        return sql.ToString();
    }

    private static string Keys(GroupBy groupBy) => groupBy switch
    {
        GroupBy.Process => """
            h.name AS host, p.comm AS process, p.exe, p.pid, p.start_time, p.cmdline, p.cgroup, p.uid,
            coalesce(nullif(c.container_name, ''), nullif(c.unit, '')) AS container, NULL::text AS interface, NULL::text AS address, NULL::integer AS port
            """,
        GroupBy.Name => """
            NULL::text AS host, p.comm AS process, p.exe, NULL::integer AS pid, NULL::timestamptz AS start_time, NULL::text AS cmdline,
            NULL::text AS cgroup, NULL::bigint AS uid, NULL::text AS container, NULL::text AS interface, NULL::text AS address, NULL::integer AS port
            """,
        GroupBy.Host => """
            h.name AS host, NULL::text AS process, NULL::text AS exe, NULL::integer AS pid, NULL::timestamptz AS start_time, NULL::text AS cmdline,
            NULL::text AS cgroup, NULL::bigint AS uid, NULL::text AS container, NULL::text AS interface, NULL::text AS address, NULL::integer AS port
            """,
        _ => """
            NULL::text AS host, NULL::text AS process, NULL::text AS exe, NULL::integer AS pid, NULL::timestamptz AS start_time, NULL::text AS cmdline,
            NULL::text AS cgroup, NULL::bigint AS uid, coalesce(nullif(c.container_name, ''), nullif(c.unit, ''), p.cgroup) AS container,
            NULL::text AS interface, NULL::text AS address, NULL::integer AS port
            """,
    };
}
