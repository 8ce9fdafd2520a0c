using Npgsql;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// Processes are stored once per (host, pid, start time) and referred to by id, so sample rows stay narrow.
/// Resolves every process a transaction's batches name (process and endpoint samples) in one round trip.
/// </summary>
internal static class ProcessDimension
{
    // Insert the new processes and read back the ids of new and existing ones alike. The outer SELECT
    // does not see the CTE's inserts and updates (same snapshot), hence the UNION ALL. A process first named
    // only by an endpoint sample (its first bytes fell between the agent's reads of its two maps) is stored
    // without metadata; the first process sample that carries it fills the row in. The last column says
    // whether the row has its metadata.
    private const string ResolveSql = """
        WITH input AS (
            SELECT * FROM unnest($1::bigint[], $2::integer[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[],
                                 $8::bigint[], $9::bigint[], $10::bigint[])
                AS t (host_id, pid, start_time, comm, exe, cmdline, cgroup, uid, cgroup_ref, netns)
        ), inserted AS (
            INSERT INTO processes (host_id, pid, start_time, comm, exe, cmdline, cgroup, uid, cgroup_ref, netns)
            SELECT * FROM input
            ON CONFLICT (host_id, pid, start_time) DO UPDATE
                SET comm = EXCLUDED.comm, exe = EXCLUDED.exe, cmdline = EXCLUDED.cmdline, cgroup = EXCLUDED.cgroup,
                    uid = EXCLUDED.uid, cgroup_ref = EXCLUDED.cgroup_ref
                WHERE processes.comm = '' AND processes.exe = '' AND (EXCLUDED.comm <> '' OR EXCLUDED.exe <> '')
            RETURNING id, host_id, pid, start_time, comm <> '' OR exe <> ''
        )
        SELECT * FROM inserted
        UNION ALL
        SELECT p.id, p.host_id, p.pid, p.start_time, p.comm <> '' OR p.exe <> '' FROM processes p
        JOIN input i ON p.host_id = i.host_id AND p.pid = i.pid AND p.start_time = i.start_time
        """;

    public static async Task ResolveAsync(NpgsqlConnection connection, IReadOnlyList<PendingWrite> group, DimensionCache cache, DimensionIds ids, CancellationToken cancellationToken)
    {
        var hosts = new List<long>();
        var pids = new List<int>();
        var starts = new List<DateTimeOffset>();
        var comms = new List<string>();
        var exes = new List<string>();
        var cmdlines = new List<string>();
        var cgroups = new List<string>();
        var uids = new List<long>();
        var cgroupRefs = new List<long?>();
        var netns = new List<long>();
        var wanted = new Dictionary<ProcessKey, int>(); // the process's index in the lists above

        void Want(ProcessKey key, string comm, string exe, string cmdline, string cgroup, long uid, long? cgroupRef, long ns)
        {
            if (wanted.TryGetValue(key, out var at))
            {
                // Wanted already for an endpoint sample: a later batch's process sample brings the metadata.
                if (comms[at].Length == 0 && exes[at].Length == 0)
                {
                    (comms[at], exes[at], cmdlines[at], cgroups[at], uids[at], cgroupRefs[at]) = (comm, exe, cmdline, cgroup, uid, cgroupRef);
                }

                return;
            }

            wanted[key] = hosts.Count;
            hosts.Add(key.HostId);
            pids.Add((int)key.Pid);
            starts.Add(DateTimeOffset.FromUnixTimeMilliseconds(key.StartMs));
            comms.Add(comm);
            exes.Add(exe);
            cmdlines.Add(cmdline);
            cgroups.Add(cgroup);
            uids.Add(uid);
            cgroupRefs.Add(cgroupRef);
            netns.Add(ns);
        }

        // Known or cached processes (nearly all of them once a host has been seen) cost two look-ups; only new ones
        // have their metadata gathered.
        bool Known(ProcessKey key)
        {
            if (ids.Processes.ContainsKey(key))
            {
                return true;
            }

            if (cache.Processes.TryGetValue(key, out var id))
            {
                ids.Processes[key] = id;
                return true;
            }

            return false;
        }

        foreach (var pending in group)
        {
            var batch = pending.Batch;
            foreach (var s in batch.Processes)
            {
                var key = new ProcessKey(pending.HostId, s.Pid, s.StartUnixMs);
                if (!Known(key))
                {
                    long? cgroupRef = CgroupDimension.FindRef(batch, pending.HostId, s.CgroupId, ids, out var id) ? id : null;
                    Want(key, batch.Strings[(int)s.Comm], batch.Strings[(int)s.Exe], batch.Strings[(int)s.Cmdline], batch.Strings[(int)s.Cgroup],
                        s.Uid, cgroupRef, (long)s.Netns);
                }
            }

            foreach (var s in batch.Endpoints)
            {
                var key = new ProcessKey(pending.HostId, s.Pid, s.StartUnixMs);
                if (!Known(key))
                {
                    // Normally the process also has a process sample in the batch; otherwise its metadata is unknown for now.
                    Want(key, "", "", "", "", 0, null, (long)s.Netns);
                }
            }
        }

        if (hosts.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(ResolveSql, connection);
        command.Parameters.Add(new() { Value = hosts.ToArray() });
        command.Parameters.Add(new() { Value = pids.ToArray() });
        command.Parameters.Add(new() { Value = starts.ToArray() });
        command.Parameters.Add(new() { Value = comms.ToArray() });
        command.Parameters.Add(new() { Value = exes.ToArray() });
        command.Parameters.Add(new() { Value = cmdlines.ToArray() });
        command.Parameters.Add(new() { Value = cgroups.ToArray() });
        command.Parameters.Add(new() { Value = uids.ToArray() });
        command.Parameters.Add(new() { Value = cgroupRefs.ToArray() });
        command.Parameters.Add(new() { Value = netns.ToArray() });
        var described = new HashSet<ProcessKey>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = new ProcessKey(reader.GetInt64(1), (uint)reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3).ToUnixTimeMilliseconds());
                ids.Processes[key] = reader.GetInt64(0);
                if (reader.GetBoolean(4))
                {
                    described.Add(key);
                }
            }
        }

        foreach (var key in wanted.Keys)
        {
            if (!ids.Processes.ContainsKey(key))
            {
                // Another transaction inserted a row after our snapshot; retrying the transaction sees it.
                throw new ProcessDimensionRaceException();
            }

            if (!described.Contains(key))
            {
                // Not cached, so that a later process sample reaches the row and fills it in.
                ids.UndescribedProcesses.Add(key);
            }
        }
    }
}
