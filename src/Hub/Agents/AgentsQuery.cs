using Npgsql;

namespace FleetNet.Hub.Agents;

/// <summary>Delivery accounts of every host that has connected, by host name.</summary>
internal sealed class AgentsQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<AgentDeliveryRow>> RunAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT h.name, h.id, h.last_seen,
                   coalesce(c.latest_epoch, l.latest_epoch, 0),
                   coalesce(c.sent, 0), coalesce(l.batches, 0), coalesce(l.samples, 0),
                   coalesce(d.batches_duplicate, 0), coalesce(d.batches_rejected, 0), coalesce(d.last_rejection, ''), d.last_rejected_at,
                   coalesce(g.gaps, 0), coalesce(g.batches_lost, 0), coalesce(g.samples_lost, 0),
                   coalesce(c.rejected, 0), coalesce(c.batches_lost, 0), coalesce(c.samples_lost, 0)
            FROM hosts h
            LEFT JOIN (SELECT host_id, max(epoch) AS latest_epoch, sum(batches_sent)::bigint AS sent, sum(batches_rejected)::bigint AS rejected,
                              sum(batches_lost)::bigint AS batches_lost, sum(samples_lost)::bigint AS samples_lost
                       FROM agent_epoch_counters GROUP BY host_id) c ON c.host_id = h.id
            LEFT JOIN (SELECT host_id, max(epoch) AS latest_epoch, count(*) AS batches, sum(samples)::bigint AS samples
                       FROM ingest_ledger GROUP BY host_id) l ON l.host_id = h.id
            LEFT JOIN agent_delivery d ON d.host_id = h.id
            LEFT JOIN (SELECT host_id, count(*) AS gaps, sum(batches_lost)::bigint AS batches_lost, sum(samples_lost)::bigint AS samples_lost
                       FROM agent_gaps GROUP BY host_id) g ON g.host_id = h.id
            ORDER BY h.name
            """);
        var rows = new List<AgentDeliveryRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AgentDeliveryRow(
                reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6),
                reader.GetInt64(7), reader.GetInt64(8), reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13),
                reader.GetInt64(14), reader.GetInt64(15), reader.GetInt64(16)));
        }

        return rows;
    }
}
