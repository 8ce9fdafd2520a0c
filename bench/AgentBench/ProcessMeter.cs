namespace FleetNet.Bench.Agent;

/// <summary>CPU seconds (utime + stime, /proc/pid/stat) and peak RSS (VmHWM, /proc/pid/status) of a process.</summary>
internal static class ProcessMeter
{
    public static (double CpuSeconds, long PeakRssKiB) Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpu = (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
            long hwm = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]);
                }
            }

            return (cpu, hwm);
        }
        catch (IOException)
        {
            return (double.NaN, 0);
        }
    }
}
