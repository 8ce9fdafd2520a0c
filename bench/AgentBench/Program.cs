using System.Diagnostics;
using FleetNet.Bench.Agent;

// Usage: AgentBench [AGENT_BINARY] [SECONDS_PER_LOAD] [CHURN_PROCESSES] [THROUGHPUT_ROUNDS]
// Runs as root (the agent loads eBPF). Loopback only; every load is bounded by SECONDS_PER_LOAD.
var agentBinary = args.Length > 0 ? args[0] : "artifacts/run/fleetnet-agent";
var seconds = args.Length > 1 ? int.Parse(args[1]) : 5;
var churnCount = args.Length > 2 ? int.Parse(args[2]) : 2000;
var rounds = args.Length > 3 ? int.Parse(args[3]) : 3;
const int CallRounds = 7;
var port = 35201;

Console.WriteLine($"AgentBench: agent {agentBinary}, {seconds} s per load, churn {churnCount} processes; {Environment.ProcessorCount} cores (shared machine: figures are noisy)");

var bare = Iperf.Run(udp: false, seconds, port);
Console.WriteLine($"  tcp without agent: {bare.BitsPerSecond / 1e9:0.00} Gbit/s");

var spawner = Churn.Compile();
var bareChurn = Churn.Run(spawner, churnCount);
Console.WriteLine($"  churn without agent: {bareChurn.Pids.Count} processes in {bareChurn.Seconds:0.00} s = {bareChurn.PerSecond:0}/s (what this machine can spawn now)");
var runWatch = Stopwatch.StartNew();
var agent = new TopStream(agentBinary, 1);
agent.WaitForIntervals(1);
var (agentStartCpu, agentStartPeak, _) = ProcessMeter.Read(agent.Pid);

// The agent's CPU over a window shaped like nethogs's below: 1 s, then the TCP load.
var tcpWatch = Stopwatch.StartNew();
Thread.Sleep(1000);
var tcp = Iperf.Run(udp: false, seconds, port);
var (agentTcpCpu, _, _) = ProcessMeter.Read(agent.Pid);
var tcpWall = tcpWatch.Elapsed.TotalSeconds;
agentTcpCpu -= agentStartCpu;
var udp = Iperf.Run(udp: true, seconds, port);

// The send/recv programs' own time under the same TCP load, from the kernel's BPF statistics (a run of its
// own: timing every call adds to each, so the accuracy and throughput runs go without it).
using var stats = BpfStats.Start();
var statsRun = Iperf.Run(udp: false, seconds, port);
var bpfPrograms = stats?.Stop(seconds) ?? [];
var (beforeChurnCpu, _, _) = ProcessMeter.Read(agent.Pid);
var churn = Churn.Run(spawner, churnCount);
var settle = agent.Intervals + 2; // exited processes' last bytes arrive in the next interval
agent.WaitForIntervals(settle);
var (agentCpu, agentRss, agentRssNow) = ProcessMeter.Read(agent.Pid);
var churnCpu = agentCpu - beforeChurnCpu;
var agentWall = runWatch.Elapsed.TotalSeconds;
var tcpClient = agent.For(tcp.ClientPid);
var tcpServer = agent.For(tcp.ServerPid);
var udpClient = agent.For(udp.ClientPid);
var udpServer = agent.For(udp.ServerPid);

// Start times come from whole-second btime, so the window is widened by a second each side.
var churnFrom = churn.Started.ToUnixTimeMilliseconds() - 1000;
var churnTo = churn.Ended.ToUnixTimeMilliseconds() + 1000;
var churnExact = 0;
var churnSeen = 0;
var churnWrong = 0;
ulong churnBytes = 0;
foreach (var pid in churn.Pids)
{
    if (churn.Failed.Contains(pid))
    {
        continue;
    }

    var v = agent.For(pid, churnFrom, churnTo);
    churnSeen += v.Tx > 0 ? 1 : 0;
    churnExact += v.Tx == Churn.BytesEach ? 1 : 0;
    churnWrong += v.Tx > 0 && v.Tx != Churn.BytesEach ? 1 : 0;
    churnBytes += v.Tx;
}

var churnCounted = churn.Pids.Count - churn.Failed.Count;
var reusedPids = 0;
var perPid = agent.ProcessesPerPid(churnFrom, churnTo);
foreach (var pid in churn.Pids)
{
    reusedPids += perPid.GetValueOrDefault(pid) > 1 ? 1 : 0;
}

agent.Dispose();

// nethogs under the same TCP load, measured the same way.
using var nethogs = Process.Start(new ProcessStartInfo("nethogs", ["-a", "-t", "lo"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
_ = nethogs.StandardOutput.ReadToEndAsync();
_ = nethogs.StandardError.ReadToEndAsync();
var nethogsWatch = Stopwatch.StartNew();
Thread.Sleep(1000);
var underNethogs = Iperf.Run(udp: false, seconds, port);
var (nethogsCpu, nethogsRss, _) = ProcessMeter.Read(nethogs.Id);
var nethogsWall = nethogsWatch.Elapsed.TotalSeconds;
nethogs.Kill();
nethogs.WaitForExit();

// Throughput cost: one TCP run is noisy on 2 shared cores, so the medians of many rounds are compared, of:
// nothing attached; the empty programs on the agent's two tracepoints (the kernel's dispatch alone, which any
// per-call eBPF accounting pays); the agent (started fresh, attached, one interval done).
var empty = EmptyPrograms.Compile();
string[] conditions = empty is null ? ["without", "agent"] : ["without", "empty programs", "agent"];
IDisposable? Attach(string condition)
{
    switch (condition)
    {
        case "agent":
            var running = new TopStream(agentBinary, 1);
            running.WaitForIntervals(1);
            return running;
        case "empty programs":
            return new EmptyPrograms(empty!);
        default:
            return null;
    }
}

// Each round runs every condition once; the order rotates every round, so a drift over the series does not
// land on one condition.
Dictionary<string, List<T>> Rounds<T>(int count, Func<T> measure)
{
    var results = conditions.ToDictionary(c => c, _ => new List<T>());
    for (var i = 0; i < count; i++)
    {
        foreach (var condition in conditions.Skip(i % conditions.Length).Concat(conditions.Take(i % conditions.Length)))
        {
            using (Attach(condition))
            {
                results[condition].Add(measure());
            }
        }
    }

    return results;
}

var throughput = Rounds(rounds, () => Iperf.Run(udp: false, seconds, port));

// The same conditions on single socket calls: what each adds to every call, in nanoseconds.
var pingself = CallCost.Compile();
var callNs = Rounds(CallRounds, () => CallCost.NsPerPair(pingself));

static double Median(List<double> values)
{
    values.Sort();
    return values.Count == 0 ? double.NaN : values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
}

// iperf3's own CPU figures (percent of one core over its run, client and server) per GB it moved.
static double CpuMsPerGB(Iperf.Result r) => (r.ClientCpuPercent + r.ServerCpuPercent) / 100 / (r.BitsPerSecond / 8e9) * 1000;

static string Gbits(List<double> values) => string.Join(" ", values.ConvertAll(v => (v / 1e9).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));

static string Pct(ulong measured, ulong truth) => truth == 0 ? "n/a" : $"{(measured - (double)truth) / truth * 100:+0.000;-0.000}%";

Console.WriteLine();
Console.WriteLine($"{"figure",-46} {"value",-28} note");
Console.WriteLine($"{"tcp: iperf3 client sent / agent client tx",-46} {tcp.ClientSentBytes + " / " + tcpClient.Tx,-28} {Pct(tcpClient.Tx, tcp.ClientSentBytes)} (agent includes the control connection)");
Console.WriteLine($"{"tcp: iperf3 server received / agent server rx",-46} {tcp.ServerReceivedBytes + " / " + tcpServer.Rx,-28} {Pct(tcpServer.Rx, tcp.ServerReceivedBytes)}");
Console.WriteLine($"{"udp: iperf3 client sent / agent client udp tx",-46} {udp.ClientSentBytes + " / " + udpClient.Udp,-28} {Pct(udpClient.Udp, udp.ClientSentBytes)}");
Console.WriteLine($"{"udp: agent server rx (loss on loopback is real)",-46} {udpServer.Rx,-28} {(double)udpServer.Rx / Math.Max(1, udpClient.Udp) * 100:0.0}% of sent");
Console.WriteLine($"{"tcp throughput: without / with agent",-46} {$"{bare.BitsPerSecond / 1e9:0.00} / {tcp.BitsPerSecond / 1e9:0.00} Gbit/s",-28} loss {(1 - tcp.BitsPerSecond / bare.BitsPerSecond) * 100:0.0}%");
var without = Median(throughput["without"].ConvertAll(r => r.BitsPerSecond));
var withoutCpu = Median(throughput["without"].ConvertAll(CpuMsPerGB));
var withoutCall = Median(callNs["without"]) / 2;
Console.WriteLine($"{$"tcp throughput: {rounds} rounds, medians",-46} {"Gbit/s",-28} iperf3's CPU (client + server) per GB; each run's Gbit/s");
foreach (var condition in conditions)
{
    var bps = throughput[condition].ConvertAll(r => r.BitsPerSecond);
    var cpu = Median(throughput[condition].ConvertAll(CpuMsPerGB));
    var median = Median(bps);
    var versus = condition == "without" ? "" : $" = loss {(1 - median / without) * 100:0.0}%";
    var cpuVersus = condition == "without" ? "" : $" ({(cpu / withoutCpu - 1) * 100:+0.0;-0.0}%)";
    Console.WriteLine($"{"  " + condition,-46} {$"{median / 1e9:0.00}{versus}",-28} {cpu:0} ms{cpuVersus}; {Gbits(bps)}");
}

Console.WriteLine($"{$"socket call, 1-byte TCP, medians of {CallRounds}",-46} {"ns per call",-28} {CallCost.Pairs:N0} send + receive pairs per run; each run's ns per pair");
foreach (var condition in conditions)
{
    var perCall = Median(callNs[condition]) / 2;
    var versus = condition == "without" ? $"{perCall:0}" : $"{perCall:0} = +{perCall - withoutCall:0}";
    Console.WriteLine($"{"  " + condition,-46} {versus,-28} {string.Join(" ", callNs[condition].Select(v => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))}");
}

Console.WriteLine($"{"tcp throughput: under nethogs",-46} {$"{underNethogs.BitsPerSecond / 1e9:0.00} Gbit/s",-28} loss {(1 - underNethogs.BitsPerSecond / bare.BitsPerSecond) * 100:0.0}%");
// Each program runs inside one side's calls (send: the client's; recv: the server's), so its time is what
// that side's CPU time grew by; the side that is CPU-bound sets the throughput, which can fall by about that share.
foreach (var prog in bpfPrograms)
{
    var (side, sideCpu) = prog.Name.Contains("send", StringComparison.Ordinal) ? ("client", statsRun.ClientCpuPercent) : ("server", statsRun.ServerCpuPercent);
    Console.WriteLine($"{$"eBPF {prog.Name} (kernel BPF stats, tcp run)",-46} {$"{prog.NsPerCall:0} ns x {prog.CallsPerSecond:0}/s",-28} {prog.PercentOfCore:0.00}% of a core = {prog.PercentOfCore / sideCpu * 100:0.00}% of the iperf3 {side}'s CPU time (it ran at {sideCpu:0}% of a core)");
}

Console.WriteLine($"{"eBPF send + recv, both sides (same run)",-46} {$"{bpfPrograms.Sum(p => p.PercentOfCore):0.00}% of one core",-28} at {statsRun.BitsPerSecond / 1e9:0.00} Gbit/s (the statistics' own clock reads included)");
Console.WriteLine($"{"agent CPU s / wall s (1 s + tcp, as nethogs)",-46} {$"{agentTcpCpu:0.00} / {tcpWall:0.0}",-28} {agentTcpCpu / tcpWall * 100:0.00}% of one core");
Console.WriteLine($"{"nethogs CPU s / wall s (start + 1 s + tcp)",-46} {$"{nethogsCpu:0.00} / {nethogsWall:0.0}",-28} {nethogsCpu / nethogsWall * 100:0.0}% of one core; agent/nethogs = 1/{nethogsCpu / nethogsWall / (agentTcpCpu / tcpWall):0}");
Console.WriteLine($"{"agent CPU s: start (load eBPF, 1st interval)",-46} {agentStartCpu:0.00}");
Console.WriteLine($"{"agent CPU s: churn (spawn + settle)",-46} {churnCpu:0.00}");
Console.WriteLine($"{"agent CPU s / wall s (whole run, start incl.)",-46} {$"{agentCpu:0.00} / {agentWall:0.0}",-28} {agentCpu / agentWall * 100:0.0}% of one core");
Console.WriteLine($"{"peak RSS agent (after start / run) / nethogs",-46} {$"{agentStartPeak / 1024.0:0.0} / {agentRss / 1024.0:0.0} / {nethogsRss / 1024.0:0.0} MiB",-28} agent RSS at the end {agentRssNow / 1024.0:0.0} MiB");
Console.WriteLine($"{"churn: processes / seconds (spawner's clock)",-46} {$"{churn.Pids.Count} / {churn.Seconds:0.00}",-28} {churn.PerSecond:0} processes/s ({bareChurn.PerSecond:0}/s without agent), {Churn.Parallel} alive at most; {churn.Failed.Count} could not connect (not counted)");
Console.WriteLine($"{"churn: seen / exactly 100 B / other amount",-46} {$"{churnSeen} / {churnExact} / {churnWrong}",-28} of {churnCounted}; {churnBytes} of {(ulong)churnCounted * Churn.BytesEach} bytes; {reusedPids} pids shown as 2+ processes");
