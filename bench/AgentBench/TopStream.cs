using System.Diagnostics;
using System.Text.Json;

namespace FleetNet.Bench.Agent;

/// <summary>The AOT agent running <c>top --json</c>, summing bytes per pid over every interval it prints.</summary>
internal sealed class TopStream : IDisposable
{
    private readonly Process _process;
    private readonly Dictionary<int, (ulong Tx, ulong Rx, ulong Tcp, ulong Udp)> _perPid = [];
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

    public (ulong Tx, ulong Rx, ulong Tcp, ulong Udp) For(int pid)
    {
        lock (_perPid)
        {
            return _perPid.GetValueOrDefault(pid);
        }
    }

    public int CountPids(Func<int, (ulong Tx, ulong Rx, ulong Tcp, ulong Udp), bool> match)
    {
        lock (_perPid)
        {
            var n = 0;
            foreach (var (pid, v) in _perPid)
            {
                if (match(pid, v))
                {
                    n++;
                }
            }

            return n;
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
            lock (_perPid)
            {
                foreach (var p in doc.RootElement.GetProperty("processes").EnumerateArray())
                {
                    var pid = (int)p.GetProperty("pid").GetUInt32();
                    var v = _perPid.GetValueOrDefault(pid);
                    _perPid[pid] = (v.Tx + p.GetProperty("txBytes").GetUInt64(), v.Rx + p.GetProperty("rxBytes").GetUInt64(),
                        v.Tcp + p.GetProperty("tcpBytes").GetUInt64(), v.Udp + p.GetProperty("udpBytes").GetUInt64());
                }
            }

            Interlocked.Increment(ref _intervals);
        }
    }
}
