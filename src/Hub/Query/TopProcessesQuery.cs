using Npgsql;

namespace FleetNet.Hub.Query;

/// <summary>Fleet-wide (or one host's) processes ranked by bytes sent plus received over a window.</summary>
internal sealed class TopProcessesQuery(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Sql = """
        SELECT h.name, p.comm, p.exe, p.pid, p.start_time, p.cmdline, p.cgroup, p.uid, t.tx, t.rx, t.tx_calls, t.rx_calls
        FROM (
            SELECT s.process_id, sum(s.tx_bytes) AS tx, sum(s.rx_bytes) AS rx,
                   sum(s.tx_calls) AS tx_calls, sum(s.rx_calls) AS rx_calls
            FROM process_samples s
            WHERE s.time > $1 AND s.time <= $2
              AND ($3::text IS NULL OR s.host_id = (SELECT id FROM hosts WHERE name = $3))
            GROUP BY s.process_id
            ORDER BY sum(s.tx_bytes) + sum(s.rx_bytes) DESC, s.process_id
            LIMIT $4
        ) t
        JOIN processes p ON p.id = t.process_id
        JOIN hosts h ON h.id = p.host_id
        ORDER BY t.tx + t.rx DESC, t.process_id
        """;

    public async Task<TopProcessesResult> RunAsync(TopProcessesRequestParameters parameters, CancellationToken cancellationToken)
    {
        var to = time.GetUtcNow();
        var from = to - parameters.Window;
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new() { Value = from });
        command.Parameters.Add(new() { Value = to });
        command.Parameters.Add(new() { Value = (object?)parameters.Host ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = parameters.Limit });

        var rows = new List<TopProcessRow>(parameters.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new TopProcessRow(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.GetString(6), reader.GetInt64(7),
                (long)reader.GetDecimal(8), (long)reader.GetDecimal(9), (long)reader.GetDecimal(10), (long)reader.GetDecimal(11)));
        }

        return new TopProcessesResult(from, to, rows);
    }
}
