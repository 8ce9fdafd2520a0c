using System.Diagnostics;
using System.Text.Json;

namespace FleetNet.Bench.Agent;

/// <summary>
/// The kernel's own run-time statistics of the agent's send and receive programs (kernel.bpf_stats_enabled,
/// read back with bpftool): how many times each ran and for how many nanoseconds, over a window. This is
/// the agent's cost on the traffic path itself, the part a throughput comparison measures only through
/// its noise. The statistics time every call, which adds a little to each (two clock reads).
/// </summary>
internal sealed class BpfStats : IDisposable
{
    private const string Switch = "/proc/sys/kernel/bpf_stats_enabled";
    private static readonly string[] s_programs = ["fleetnet_send", "fleetnet_recv", "fleetnet_send_raw", "fleetnet_recv_raw"];

    private readonly string _before;
    private readonly Dictionary<string, (ulong Calls, ulong Ns)> _start;

    private BpfStats(string before)
    {
        _before = before;
        _start = Read();
    }

    /// <summary>One program over the load: its mean time per call, calls per second, and share of one core (%).</summary>
    public sealed record ProgramStats(string Name, double NsPerCall, double CallsPerSecond, double PercentOfCore);

    /// <summary>Turns the statistics on (null, with a line on stderr, when this kernel, user or host cannot).</summary>
    public static BpfStats? Start()
    {
        string before;
        try
        {
            before = File.ReadAllText(Switch).Trim();
            File.WriteAllText(Switch, "1");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"AgentBench: no BPF statistics ({Switch}: {e.Message})");
            return null;
        }

        try
        {
            return new BpfStats(before);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            File.WriteAllText(Switch, before);
            Console.Error.WriteLine($"AgentBench: no BPF statistics (bpftool: {e.Message})");
            return null;
        }
    }

    /// <summary>
    /// Each program's calls and time since <see cref="Start"/>, per second of <paramref name="loadSeconds"/>
    /// (the load's own length: the calls come from it); turns the statistics back to what they were.
    /// </summary>
    public List<ProgramStats> Stop(double loadSeconds)
    {
        var end = Read();
        Dispose();
        var programs = new List<ProgramStats>();
        foreach (var (name, (calls, total)) in end)
        {
            var (calls0, total0) = _start.GetValueOrDefault(name);
            var c = calls - calls0;
            var t = total - total0;
            if (c > 0)
            {
                programs.Add(new ProgramStats(name, (double)t / c, c / loadSeconds, t / (loadSeconds * 1e9) * 100));
            }
        }

        return programs;
    }

    public void Dispose()
    {
        try
        {
            File.WriteAllText(Switch, _before);
        }
        catch (IOException)
        {
        }
    }

    private static Dictionary<string, (ulong, ulong)> Read()
    {
        var result = new Dictionary<string, (ulong, ulong)>();
        using var bpftool = Process.Start(new ProcessStartInfo("bpftool", ["prog", "show", "--json"]) { RedirectStandardOutput = true })!;
        var json = bpftool.StandardOutput.ReadToEnd();
        bpftool.WaitForExit();
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateArray())
        {
            if (p.TryGetProperty("name", out var name) && Array.IndexOf(s_programs, name.GetString()) >= 0)
            {
                var calls = p.TryGetProperty("run_cnt", out var c) ? c.GetUInt64() : 0;
                var ns = p.TryGetProperty("run_time_ns", out var t) ? t.GetUInt64() : 0;
                var key = name.GetString()!;
                var (c0, t0) = result.GetValueOrDefault(key);
                result[key] = (c0 + calls, t0 + ns);
            }
        }

        return result;
    }
}
