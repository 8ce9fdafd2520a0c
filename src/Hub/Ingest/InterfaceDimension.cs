using Npgsql;

namespace FleetNet.Hub.Ingest;

/// <summary>Interfaces of each host, stored once by name.</summary>
internal static class InterfaceDimension
{
    private const string ResolveSql = """
        WITH input AS (
            SELECT * FROM unnest($1::bigint[], $2::text[]) AS t (host_id, name)
        ), inserted AS (
            INSERT INTO interfaces (host_id, name) SELECT * FROM input
            ON CONFLICT DO NOTHING
            RETURNING id, host_id, name
        )
        SELECT id, host_id, name FROM inserted
        UNION ALL
        SELECT f.id, f.host_id, f.name FROM interfaces f JOIN input i ON f.host_id = i.host_id AND f.name = i.name
        """;

    public static async Task ResolveAsync(NpgsqlConnection connection, IReadOnlyList<PendingWrite> group, DimensionCache cache, DimensionIds ids, CancellationToken cancellationToken)
    {
        var wanted = new HashSet<InterfaceKey>();
        foreach (var pending in group)
        {
            foreach (var s in pending.Batch.Interfaces)
            {
                var key = new InterfaceKey(pending.HostId, pending.Batch.Strings[(int)s.Name]);
                if (ids.Interfaces.ContainsKey(key))
                {
                    continue;
                }

                if (cache.Interfaces.TryGetValue(key, out var id))
                {
                    ids.Interfaces[key] = id;
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
        command.Parameters.Add(new() { Value = wanted.Select(k => k.Name).ToArray() });
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = new InterfaceKey(reader.GetInt64(1), reader.GetString(2));
                ids.Interfaces[key] = reader.GetInt64(0);
                wanted.Remove(key);
            }
        }

        if (wanted.Count > 0)
        {
            throw new ProcessDimensionRaceException();
        }
    }
}
