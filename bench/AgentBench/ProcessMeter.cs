namespace FleetNet.Bench.Agent;

/// <summary>
/// CPU seconds (utime + stime, /proc/pid/stat), peak RSS (VmHWM) and current RSS (VmRSS, /proc/pid/status)
/// of a process.
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

    private static long Kib(string line) => long.Parse(line[(line.IndexOf(':') + 1)..].Trim().Split(' ')[0]);
}
