using Npgsql;

namespace FleetNet.Hub.Ingest;

/// <summary>Cgroups (systemd units, containers, pods) of each host, from the batches' CgroupInfo, stored once.</summary>
internal static class CgroupDimension
{
    private const string ResolveSql = """
        WITH input AS (
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                AS t (host_id, cgroup_id, path, unit, runtime, container_id, container_name, pod_uid)
        ), inserted AS (
            INSERT INTO cgroups (host_id, cgroup_id, path, unit, runtime, container_id, container_name, pod_uid)
            SELECT * FROM input
            ON CONFLICT DO NOTHING
            RETURNING id, host_id, cgroup_id, path
        )
        SELECT id, host_id, cgroup_id, path FROM inserted
        UNION ALL
        SELECT c.id, c.host_id, c.cgroup_id, c.path FROM cgroups c
        JOIN input i ON c.host_id = i.host_id AND c.cgroup_id = i.cgroup_id AND c.path = i.path
        """;

    /// <summary>The id of the cgroup a process sample names, when the batch describes it.</summary>
    public static bool FindRef(Protocol.V1.Batch batch, long hostId, ulong cgroupId, DimensionIds ids, out long id)
    {
        foreach (var c in batch.Cgroups)
        {
            if (c.Id == cgroupId)
            {
                return ids.Cgroups.TryGetValue(new CgroupKey(hostId, cgroupId, BatchStrings.Get(batch, c.Path)), out id);
            }
        }

        id = 0;
        return false;
    }

    public static async Task ResolveAsync(NpgsqlConnection connection, IReadOnlyList<PendingWrite> group, DimensionCache cache, DimensionIds ids, CancellationToken cancellationToken)
    {
        var keys = new List<CgroupKey>();
        var units = new List<string>();
        var runtimes = new List<string>();
        var containerIds = new List<string>();
        var containerNames = new List<string>();
        var pods = new List<string>();
        foreach (var pending in group)
        {
            var b = pending.Batch;
            foreach (var c in b.Cgroups)
            {
                var key = new CgroupKey(pending.HostId, c.Id, BatchStrings.Get(b, c.Path));
                if (ids.Cgroups.ContainsKey(key) || keys.Contains(key))
                {
                    continue;
                }

                if (cache.Cgroups.TryGetValue(key, out var id))
                {
                    ids.Cgroups[key] = id;
                    continue;
                }

                keys.Add(key);
                units.Add(BatchStrings.Get(b, c.Unit));
                runtimes.Add(BatchStrings.Get(b, c.Runtime));
                containerIds.Add(BatchStrings.Get(b, c.ContainerId));
                containerNames.Add(BatchStrings.Get(b, c.ContainerName));
                pods.Add(BatchStrings.Get(b, c.PodUid));
            }
        }

        if (keys.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(ResolveSql, connection);
        command.Parameters.Add(new() { Value = keys.Select(k => k.HostId).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => (long)k.CgroupId).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => k.Path).ToArray() });
        command.Parameters.Add(new() { Value = units.ToArray() });
        command.Parameters.Add(new() { Value = runtimes.ToArray() });
        command.Parameters.Add(new() { Value = containerIds.ToArray() });
        command.Parameters.Add(new() { Value = containerNames.ToArray() });
        command.Parameters.Add(new() { Value = pods.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Cgroups[new CgroupKey(reader.GetInt64(1), (ulong)reader.GetInt64(2), reader.GetString(3))] = reader.GetInt64(0);
        }
    }
}
