using FleetNet.Protocol.V1;
using Npgsql;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// Processes are stored once per (host, pid, start time) and referred to by id, so sample rows stay narrow.
/// </summary>
internal static class ProcessDimension
{
    // One round trip: insert the new processes, and read back the ids of new and existing ones alike.
    // The outer SELECT does not see the CTE's inserts (same snapshot), hence the UNION ALL.
    private const string ResolveSql = """
        WITH input AS (
            SELECT * FROM unnest($2::integer[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[])
                AS t (pid, start_time, comm, exe, cmdline, cgroup, uid)
        ), inserted AS (
            INSERT INTO processes (host_id, pid, start_time, comm, exe, cmdline, cgroup, uid)
            SELECT $1, pid, start_time, comm, exe, cmdline, cgroup, uid FROM input
            ON CONFLICT DO NOTHING
            RETURNING id, pid, start_time
        )
        SELECT id, pid, start_time FROM inserted
        UNION ALL
        SELECT p.id, p.pid, p.start_time FROM processes p JOIN input i ON p.pid = i.pid AND p.start_time = i.start_time
        WHERE p.host_id = $1
        """;

    /// <summary>Returns, for each process sample of the batch in order, its process id.</summary>
    public static async Task<long[]> ResolveAsync(NpgsqlConnection connection, long hostId, Batch batch, CancellationToken cancellationToken)
    {
        var distinct = new Dictionary<(uint Pid, long Start), int>();
        var pids = new List<int>();
        var starts = new List<DateTimeOffset>();
        var comms = new List<string>();
        var exes = new List<string>();
        var cmdlines = new List<string>();
        var cgroups = new List<string>();
        var uids = new List<long>();
        foreach (var s in batch.Processes)
        {
            if (distinct.TryAdd((s.Pid, s.StartUnixMs), pids.Count))
            {
                pids.Add((int)s.Pid);
                starts.Add(DateTimeOffset.FromUnixTimeMilliseconds(s.StartUnixMs));
                comms.Add(batch.Strings[(int)s.Comm]);
                exes.Add(batch.Strings[(int)s.Exe]);
                cmdlines.Add(batch.Strings[(int)s.Cmdline]);
                cgroups.Add(batch.Strings[(int)s.Cgroup]);
                uids.Add(s.Uid);
            }
        }

        var ids = new Dictionary<(uint Pid, long Start), long>(pids.Count);
        await using (var command = new NpgsqlCommand(ResolveSql, connection))
        {
            command.Parameters.Add(new() { Value = hostId });
            command.Parameters.Add(new() { Value = pids.ToArray() });
            command.Parameters.Add(new() { Value = starts.ToArray() });
            command.Parameters.Add(new() { Value = comms.ToArray() });
            command.Parameters.Add(new() { Value = exes.ToArray() });
            command.Parameters.Add(new() { Value = cmdlines.ToArray() });
            command.Parameters.Add(new() { Value = cgroups.ToArray() });
            command.Parameters.Add(new() { Value = uids.ToArray() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var start = reader.GetFieldValue<DateTimeOffset>(2).ToUnixTimeMilliseconds();
                ids[((uint)reader.GetInt32(1), start)] = reader.GetInt64(0);
            }
        }

        var result = new long[batch.Processes.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var s = batch.Processes[i];
            if (!ids.TryGetValue((s.Pid, s.StartUnixMs), out result[i]))
            {
                // Another transaction inserted the row after our snapshot; the caller's retry will see it.
                throw new ProcessDimensionRaceException();
            }
        }

        return result;
    }
}
