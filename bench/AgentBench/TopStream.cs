using System.Diagnostics;
using System.Text.Json;

namespace FleetNet.Bench.Agent;

/// <summary>The AOT agent running <c>top --json</c>, summing bytes per pid over every interval it prints.</summary>
internal sealed class TopStream : IDisposable
{
    private readonly Process _process;
    private readonly Dictionary<(int Pid, long StartUnixMs), (ulong Tx, ulong Rx, ulong Tcp, ulong Udp)> _perProcess = [];
    private readonly Task _reader;
    private int _intervals;

    public TopStream(string agentBinary, double intervalSeconds)
    {
        var info = new ProcessStartInfo(agentBinary, ["top", "--json", "--interval", intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--limit", "100000"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["FLEETNET_CONNTRACKENABLED"] = "false";
        _process = Process.Start(info)!;
        _ = _process.StandardError.ReadToEndAsync();
        _reader = Task.Run(Read);
    }

    public int Pid => _process.Id;

    public int Intervals => Volatile.Read(ref _intervals);

    public void WaitForIntervals(int count)
    {
        var deadline = Stopwatch.StartNew();
        while (Intervals < count && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(50);
        }
    }

    /// <summary>Sums over every process the agent showed with this pid.</summary>
    public (ulong Tx, ulong Rx, ulong Tcp, ulong Udp) For(int pid) => For(pid, long.MinValue, long.MaxValue);

    /// <summary>Sums over the processes with this pid that started in [fromUnixMs, toUnixMs] (pids are reused).</summary>
    public (ulong Tx, ulong Rx, ulong Tcp, ulong Udp) For(int pid, long fromUnixMs, long toUnixMs)
    {
        lock (_perProcess)
        {
            (ulong Tx, ulong Rx, ulong Tcp, ulong Udp) sum = default;
            foreach (var ((p, start), v) in _perProcess)
            {
                if (p == pid && start >= fromUnixMs && start <= toUnixMs)
                {
                    sum = (sum.Tx + v.Tx, sum.Rx + v.Rx, sum.Tcp + v.Tcp, sum.Udp + v.Udp);
                }
            }

            return sum;
        }
    }

    /// <summary>Processes per pid in [fromUnixMs, toUnixMs], pid → count, to catch one pid shown as two processes.</summary>
    public Dictionary<int, int> ProcessesPerPid(long fromUnixMs, long toUnixMs)
    {
        lock (_perProcess)
        {
            var counts = new Dictionary<int, int>();
            foreach (var (pid, start) in _perProcess.Keys)
            {
                if (start >= fromUnixMs && start <= toUnixMs)
                {
                    counts[pid] = counts.GetValueOrDefault(pid) + 1;
                }
            }

            return counts;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
        _reader.Wait(5000);
        _process.Dispose();
    }

    private void Read()
    {
        while (_process.StandardOutput.ReadLine() is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            lock (_perProcess)
            {
                foreach (var p in doc.RootElement.GetProperty("processes").EnumerateArray())
                {
                    var key = ((int)p.GetProperty("pid").GetUInt32(), p.GetProperty("startUnixMs").GetInt64());
                    var v = _perProcess.GetValueOrDefault(key);
                    _perProcess[key] = (v.Tx + p.GetProperty("txBytes").GetUInt64(), v.Rx + p.GetProperty("rxBytes").GetUInt64(),
                        v.Tcp + p.GetProperty("tcpBytes").GetUInt64(), v.Udp + p.GetProperty("udpBytes").GetUInt64());
                }
            }

            Interlocked.Increment(ref _intervals);
        }
    }
}
