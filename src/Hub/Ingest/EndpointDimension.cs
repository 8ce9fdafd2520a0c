using System.Net;
using Npgsql;

namespace FleetNet.Hub.Ingest;

/// <summary>Remote endpoints (address, port, protocol) per host, stored once; the "other" bucket has no address.</summary>
internal static class EndpointDimension
{
    private const string ResolveSql = """
        WITH input AS (
            SELECT * FROM unnest($1::bigint[], $2::inet[], $3::integer[], $4::smallint[]) AS t (host_id, address, port, protocol)
        ), inserted AS (
            INSERT INTO endpoints (host_id, address, port, protocol) SELECT * FROM input
            ON CONFLICT DO NOTHING
            RETURNING id, host_id, address, port, protocol
        )
        SELECT id, host_id, address, port, protocol FROM inserted
        UNION ALL
        SELECT e.id, e.host_id, e.address, e.port, e.protocol FROM endpoints e
        JOIN input i ON e.host_id = i.host_id AND e.address IS NOT DISTINCT FROM i.address AND e.port = i.port AND e.protocol = i.protocol
        """;

    public static EndpointKey Key(long hostId, Protocol.V1.EndpointSample s) => new(
        hostId,
        s.RemoteAddress.Length is 4 or 16 ? new IPAddress(s.RemoteAddress.Span) : null,
        (int)s.RemotePort,
        (short)s.Protocol);

    public static async Task ResolveAsync(NpgsqlConnection connection, IReadOnlyList<PendingWrite> group, DimensionCache cache, DimensionIds ids, CancellationToken cancellationToken)
    {
        var wanted = new HashSet<EndpointKey>();
        foreach (var pending in group)
        {
            foreach (var s in pending.Batch.Endpoints)
            {
                var key = Key(pending.HostId, s);
                if (ids.Endpoints.ContainsKey(key))
                {
                    continue;
                }

                if (cache.Endpoints.TryGetValue(key, out var id))
                {
                    ids.Endpoints[key] = id;
                }
                else
                {
                    wanted.Add(key);
                }
            }
        }

        if (wanted.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(ResolveSql, connection);
        command.Parameters.Add(new() { Value = wanted.Select(k => k.HostId).ToArray() });
        command.Parameters.Add(new() { Value = wanted.Select(k => k.Address).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Inet });
        command.Parameters.Add(new() { Value = wanted.Select(k => k.Port).ToArray() });
        command.Parameters.Add(new() { Value = wanted.Select(k => k.Protocol).ToArray() });
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var address = reader.IsDBNull(2) ? null : reader.GetFieldValue<IPAddress>(2);
                var key = new EndpointKey(reader.GetInt64(1), address, reader.GetInt32(3), reader.GetInt16(4));
                ids.Endpoints[key] = reader.GetInt64(0);
                wanted.Remove(key);
            }
        }

        if (wanted.Count > 0)
        {
            throw new ProcessDimensionRaceException();
        }
    }
}
