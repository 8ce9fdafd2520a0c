namespace FleetNet.Bench.Agent;

/// <summary>
/// CPU seconds, peak RSS (VmHWM) and current RSS (VmRSS, /proc/pid/status) of a process. CPU is the sum
/// of its threads' /proc/pid/task/*/schedstat run time (nanoseconds; utime + stime in /proc/pid/stat
/// counts 10 ms ticks, too coarse for an agent that runs for a few ms per second), falling back to stat.
/// </summary>
internal static class ProcessMeter
{
    public static (double CpuSeconds, long PeakRssKiB, long RssKiB) Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpu = (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
            if (TryReadSchedstat(pid, out var runSeconds))
            {
                cpu = runSeconds;
            }

            long hwm = 0;
            long rss = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kib(line);
                }
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kib(line);
                }
            }

            return (cpu, hwm, rss);
        }
        catch (IOException)
        {
            return (double.NaN, 0, 0);
        }
    }

    private static bool TryReadSchedstat(int pid, out double seconds)
    {
        long ns = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                ns += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            seconds = 0;
            return false;
        }

        seconds = ns / 1e9;
        return ns > 0;
    }

    private static long Kib(string line) => long.Parse(line[(line.IndexOf(':') + 1)..].Trim().Split(' ')[0]);
}
