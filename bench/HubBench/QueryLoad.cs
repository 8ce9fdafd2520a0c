using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace FleetNet.Bench;

/// <summary>
/// Fills H hosts × 100 processes directly with SQL (generate_series): 1-minute rollups (per process and per
/// program) for the last hour, raw samples every 10 s for the minutes not yet rolled up (added to the per-program
/// minutes as the ingest writer does), and 90 days of daily interface rollups; sets the watermarks as the rollup
/// job would. Then times queries through REST.
/// </summary>
internal static class QueryLoad
{
    public static async Task RunAsync(string connectionString, string restUrl, int hosts, BenchSettings settings)
    {
        var prefix = $"q{hosts}-";
        var fill = Stopwatch.StartNew();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            foreach (var sql in FillSql(prefix, hosts))
            {
                await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 1800 };
                await command.ExecuteNonQueryAsync();
            }
        }

        Console.WriteLine($"query data for {hosts:N0} hosts × 100 processes filled in {fill.Elapsed.TotalSeconds:F0} s (SQL generate_series into rollups + the raw tail)");
        var now = DateTimeOffset.UtcNow;
        var alignedTo = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-3);
        using var http = new HttpClient { BaseAddress = new Uri(restUrl) };
        await TimeAsync(http, $"{hosts} hosts: top-20 programs fleet-wide, window=1h (to the end of the current minute: name_1m kept by the writer, no raw)", "/api/v1/top/names?window=1h&limit=20", settings.QueryRuns);
        await TimeAsync(http, $"{hosts} hosts: top-20 programs fleet-wide, last whole hour (from/to on minutes: 1m rollup only)",
            $"/api/v1/top/names?from={alignedTo.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}&to={alignedTo:yyyy-MM-ddTHH:mm:ssZ}&limit=20", settings.QueryRuns);
        await TimeAsync(http, $"{hosts} hosts: top-20 processes of one host, window=1h", $"/api/v1/top/processes?window=1h&host={prefix}7", settings.QueryRuns);
        await TimeAsync(http, $"{hosts} hosts: 90-day daily trend of one host", $"/api/v1/trends?host={prefix}7&window=90d", settings.QueryRuns);
    }

    private static async Task TimeAsync(HttpClient http, string label, string url, int runs)
    {
        var times = new List<double>();
        string source = "";
        for (var i = 0; i < runs + 3; i++)
        {
            var stop = Stopwatch.StartNew();
            var response = await http.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            stop.Stop();
            if (!response.IsSuccessStatusCode)
            {
                Console.WriteLine($"{label}: HTTP {(int)response.StatusCode} {body}");
                return;
            }

            if (i >= 3)
            {
                times.Add(stop.Elapsed.TotalMilliseconds);
            }

            var at = body.IndexOf("\"source\":\"", StringComparison.Ordinal);
            source = at < 0 ? "" : body.Substring(at + 10, body.IndexOf('"', at + 10) - at - 10);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: p50 {times[times.Count / 2]:F1} ms, p95 {times[(int)(times.Count * 0.95)]:F1} ms over {runs} runs (source {source})"));
    }

    private static IEnumerable<string> FillSql(string prefix, int hosts) =>
    [
        $"""
        INSERT INTO hosts (name, labels, first_seen, last_seen)
        SELECT '{prefix}' || h, jsonb_build_object('role', CASE WHEN h % 2 = 0 THEN 'web' ELSE 'db' END), now(), now()
        FROM generate_series(1, {hosts}) h
        """,
        $"""
        INSERT INTO processes (host_id, pid, start_time, comm, exe, cmdline, cgroup, uid)
        SELECT h.id, 1000 + j, '2026-01-01', n.name, '/usr/bin/' || n.name, '/usr/bin/' || n.name, '', 0
        FROM hosts h, generate_series(0, 99) j,
             LATERAL (SELECT CASE WHEN j < 8 THEN (ARRAY['nginx','postgres','java','envoy','redis-server','node','python3','kafka'])[j + 1]
                                  ELSE 'tail-' || ((h.id * 7 + j * 13) % 120) END AS name) n
        WHERE h.name LIKE '{prefix}%'
        """,
        $"""
        INSERT INTO process_1m (bucket, host_id, process_id, tx_bytes, rx_bytes, tx_calls, rx_calls)
        SELECT m, p.host_id, p.id, 6 * (5000000 / (p.pid - 999)), 3 * (5000000 / (p.pid - 999)), 60, 60
        FROM processes p JOIN hosts h ON h.id = p.host_id,
             generate_series(date_trunc('minute', now()) - interval '65 minutes', date_trunc('minute', now()) - interval '3 minutes', interval '1 minute') m
        WHERE h.name LIKE '{prefix}%'
        ORDER BY m, p.host_id -- as the rollup job writes them: a minute at a time, ordered by host
        """,
        $"""
        INSERT INTO process_samples (time, host_id, process_id, protocol, interval_ms, tx_bytes, rx_bytes, tx_calls, rx_calls)
        SELECT t, p.host_id, p.id, 1, 10000, 5000000 / (p.pid - 999), 2500000 / (p.pid - 999), 10, 10
        FROM processes p JOIN hosts h ON h.id = p.host_id,
             generate_series(date_trunc('minute', now()) - interval '2 minutes' + interval '10 seconds', now(), interval '10 seconds') t
        WHERE h.name LIKE '{prefix}%'
        """,
        // name_1m as the rollups and the ingest writer (NameMinutes, for the raw tail) leave it, for every fill so far.
        """
        DELETE FROM name_1m;
        INSERT INTO name_1m (bucket, comm, exe, tx_bytes, rx_bytes, tx_calls, rx_calls)
        SELECT bucket, comm, exe, sum(tx), sum(rx), sum(txc), sum(rxc) FROM (
            SELECT r.bucket, p.comm, p.exe, r.tx_bytes AS tx, r.rx_bytes AS rx, r.tx_calls AS txc, r.rx_calls AS rxc
            FROM process_1m r JOIN processes p ON p.id = r.process_id
            UNION ALL
            SELECT date_trunc('minute', s.time - interval '1 microsecond', 'UTC'), p.comm, p.exe, s.tx_bytes, s.rx_bytes, s.tx_calls, s.rx_calls
            FROM process_samples s JOIN processes p ON p.id = s.process_id
            WHERE s.time > date_trunc('minute', now()) - interval '2 minutes') d
        GROUP BY 1, 2, 3
        """,
        $"""
        INSERT INTO interfaces (host_id, name) SELECT id, 'eth0' FROM hosts WHERE name LIKE '{prefix}%';
        INSERT INTO interface_1d (bucket, host_id, interface_id, rx_bytes, tx_bytes, peak_bps)
        SELECT d, i.host_id, i.id, 40e9::bigint + i.id, 20e9::bigint, 900000000
        FROM interfaces i JOIN hosts h ON h.id = i.host_id,
             generate_series(date_trunc('day', now(), 'UTC') - interval '90 days', date_trunc('day', now(), 'UTC') - interval '1 day', interval '1 day') d
        WHERE h.name LIKE '{prefix}%'
        """,
        """
        INSERT INTO rollup_watermarks (level, watermark) VALUES
            ('1m', date_trunc('minute', now()) - interval '2 minutes'),
            ('1h', date_trunc('hour', now()) - interval '2 hours'),
            ('1d', date_trunc('day', now(), 'UTC'))
        ON CONFLICT (level) DO UPDATE SET watermark = excluded.watermark;
        DELETE FROM rollup_dirty;
        ANALYZE
        """,
    ];
}
