using Npgsql;
using NpgsqlTypes;

namespace FleetNet.Hub.Query;

/// <summary>Timelines and trends: bytes per step (and peak rate for interfaces), from the coarsest exact tables.</summary>
internal sealed class TimelineQuery(NpgsqlDataSource dataSource)
{
    public async Task<TimelineResult> RunAsync(TimelineParameters parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var narrow = await NarrowQuery.BeginAsync(connection, parameters.Filters, cancellationToken);
        var coarsest = parameters.Step == "1w" ? TimeSpan.FromDays(1) : parameters.StepSize;
        var segments = await SourcePlanner.PlanAsync(connection, parameters.From, parameters.To, coarsest, cancellationToken);
        var unit = parameters.StepUnit;
        var hostFilter = HostSql.Filter(parameters.Filters);
        var parts = new List<string>();
        for (var i = 0; i < segments.Count; i++)
        {
            var a = $"${6 + 2 * i}";
            var b = $"${7 + 2 * i}";
            var l = segments[i].Source;
            var raw = l == "raw";
            var t = raw ? "time - interval '1 microsecond'" : "bucket";
            var range = raw ? $"time > {a} AND time <= {b}" : $"bucket >= {a} AND bucket < {b}";
            parts.Add(parameters.Interfaces
                ? $"""
                    SELECT date_trunc('{unit}', {t}, 'UTC') AS t, tx_bytes, rx_bytes,
                           {(raw ? "(rx_bytes + tx_bytes) * 8000 / greatest(interval_ms, 1)" : "peak_bps")} AS peak
                    FROM {(raw ? "interface_samples" : "interface_" + l)}
                    WHERE {range}{hostFilter} AND ($4::text IS NULL OR interface_id IN (SELECT id FROM interfaces WHERE name = $4))
                    """
                : $"""
                    SELECT date_trunc('{unit}', {t}, 'UTC') AS t, tx_bytes, rx_bytes, 0::bigint AS peak
                    FROM {(raw ? "process_samples" : "process_" + l)}
                    WHERE {range}{hostFilter} AND ($5::text IS NULL OR process_id IN (SELECT id FROM processes WHERE comm = $5 OR exe = $5))
                    """);
        }

        var sql = $"""
            SELECT t, sum(tx_bytes), sum(rx_bytes), max(peak) FROM (
            {string.Join("\nUNION ALL\n", parts)}
            ) d GROUP BY t ORDER BY t
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        var f = parameters.Filters;
        command.Parameters.Add(new() { Value = (object?)f.Host ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)f.LabelKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)f.LabelValue ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)parameters.Interface ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)f.Process ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        foreach (var s in segments)
        {
            command.Parameters.Add(new() { Value = s.From });
            command.Parameters.Add(new() { Value = s.To });
        }

        var points = new List<TimelinePoint>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                points.Add(new TimelinePoint(reader.GetFieldValue<DateTimeOffset>(0), (long)reader.GetDecimal(1), (long)reader.GetDecimal(2), reader.GetInt64(3)));
            }
        }

        return new TimelineResult(parameters.From, parameters.To, parameters.Step, SourcePlanner.SourceOf(segments), segments, points);
    }
}
