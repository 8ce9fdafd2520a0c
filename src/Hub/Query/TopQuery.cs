using Npgsql;
using NpgsqlTypes;

namespace FleetNet.Hub.Query;

/// <summary>Top-N over any window, grouped by process, program, host, container, endpoint or interface.</summary>
internal sealed class TopQuery(NpgsqlDataSource dataSource)
{
    public async Task<TopResult> RunAsync(TopParameters parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Endpoints have no rollups; everything else may use the day level.
        var coarsest = parameters.GroupBy == GroupBy.Endpoint ? TimeSpan.Zero : TimeSpan.FromDays(1);
        var f = parameters.Filters;
        await using var narrow = await NarrowQuery.BeginAsync(connection, f, cancellationToken);
        var names = parameters.GroupBy == GroupBy.Name && !f.NarrowsHosts;
        var segments = await SourcePlanner.PlanAsync(connection, parameters.From, parameters.To, coarsest, cancellationToken, minutesCurrent: names);
        await using var command = new NpgsqlCommand(TopSql.Build(parameters.GroupBy, f, segments), connection);
        command.Parameters.Add(new() { Value = (object?)f.Host ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)f.LabelKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)f.LabelValue ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)f.Container ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)f.Process ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (long)parameters.Offset });
        command.Parameters.Add(new() { Value = (long)parameters.Offset + parameters.Limit });
        foreach (var s in segments)
        {
            command.Parameters.Add(new() { Value = s.From });
            command.Parameters.Add(new() { Value = s.To });
        }

        var items = new List<TopItem>(parameters.Limit);
        long totalTx = 0, totalRx = 0, headTx = 0, headRx = 0, count = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                totalTx = (long)reader.GetDecimal(16);
                totalRx = (long)reader.GetDecimal(17);
                headTx = (long)reader.GetDecimal(18);
                headRx = (long)reader.GetDecimal(19);
                count = reader.GetInt64(20);
                if (reader.IsDBNull(12))
                {
                    continue;
                }

                items.Add(new TopItem(
                    Str(reader, 0), Str(reader, 1), Str(reader, 2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                    Str(reader, 5), Str(reader, 6),
                    reader.IsDBNull(7) ? null : reader.GetInt64(7),
                    Str(reader, 8), Str(reader, 9), Str(reader, 10),
                    reader.IsDBNull(11) ? null : reader.GetInt32(11),
                    (long)reader.GetDecimal(12), (long)reader.GetDecimal(13), (long)reader.GetDecimal(14), (long)reader.GetDecimal(15)));
            }
        }

        var end = parameters.Offset + parameters.Limit;
        return new TopResult(parameters.From, parameters.To, SourcePlanner.SourceOf(segments), segments, items,
            totalTx - headTx, totalRx - headRx, totalTx, totalRx, end < count ? end : null);
    }

    private static string? Str(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
