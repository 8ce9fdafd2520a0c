using System.Globalization;
using Npgsql;

namespace FleetNet.Bench;

/// <summary>
/// CPU seconds (user + system, from /proc/PID/stat) of the hub process and of the PostgreSQL backends serving the
/// bench database: a figure that depends less on what else loads the machine than a rate does. A backend that
/// exits between two snapshots is not counted (the hub's pool keeps its connections during the load).
/// </summary>
internal sealed class CpuTime(int hubPid, string connectionString)
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ on Linux

    /// <param name="Autovacuum">The backends that are autovacuum workers (their CPU is also in the PostgreSQL figure).</param>
    public sealed record Snapshot(double Hub, Dictionary<int, double> Backends, HashSet<int> Autovacuum);

    public async Task<Snapshot> TakeAsync()
    {
        var backends = new Dictionary<int, double>();
        var autovacuum = new HashSet<int>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pid, backend_type = 'autovacuum worker' FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var pid = reader.GetInt32(0);
            if (Of(pid) is { } seconds)
            {
                backends[pid] = seconds;
                if (reader.GetBoolean(1))
                {
                    autovacuum.Add(pid);
                }
            }
        }

        return new Snapshot(Of(hubPid) ?? 0, backends, autovacuum);
    }

    /// <summary>
    /// Hub and PostgreSQL CPU seconds spent between two snapshots, and the part of the latter spent by autovacuum
    /// workers alive at the second one (a worker that came and went between the snapshots is not seen).
    /// </summary>
    public static (double Hub, double Postgres, double Autovacuum) Between(Snapshot a, Snapshot b)
    {
        double pg = 0;
        double autovacuum = 0;
        foreach (var (pid, seconds) in b.Backends)
        {
            var spent = seconds - a.Backends.GetValueOrDefault(pid);
            pg += spent;
            if (b.Autovacuum.Contains(pid))
            {
                autovacuum += spent;
            }
        }

        return (b.Hub - a.Hub, pg, autovacuum);
    }

    /// <summary>CPU seconds of one process so far (0 when it is gone).</summary>
    public static double OfProcess(int pid) => Of(pid) ?? 0;

    private static double? Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
