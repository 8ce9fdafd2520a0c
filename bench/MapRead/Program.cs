using System.Diagnostics;
using FleetNet.Agent.Interop;
using FleetNet.Agent.Processes;
using FleetNet.Bench.MapRead;

// A BPF hash map shaped like fn_usage (same key and value sizes), filled with 10,000 entries, read the
// way the agent reads it every interval (BpfMapReader.Snapshot: bpf_map_lookup_batch in chunks).
const int Keys = 10_000;
const int Rounds = 1_000;

if (Interop.geteuid() != 0)
{
    Console.Error.WriteLine("MapRead needs root (it creates a BPF map).");
    return 2;
}

var fd = NativeMap.CreateUsageHash(maxEntries: 16_384);
for (var i = 0; i < Keys; i++)
{
    var key = new UsageKey { Tgid = (uint)(1000 + i), Proto = 1, StartNs = (ulong)i * 7_919, CgroupId = 1, Netns = 4_026_531_840 };
    var value = new UsageValue { TxBytes = (ulong)i, RxBytes = (ulong)i * 2, TxCalls = 1, RxCalls = 1 };
    NativeMap.Update(fd, key, value);
}

var reader = new BpfMapReader<UsageKey, UsageValue>(fd);
for (var i = 0; i < 20; i++)
{
    reader.Snapshot(); // warm-up: buffers grown, code jitted
}

if (reader.Count != Keys)
{
    Console.Error.WriteLine($"read {reader.Count} entries, expected {Keys}");
    return 1;
}

var samples = new double[Rounds];
var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
for (var i = 0; i < Rounds; i++)
{
    var start = Stopwatch.GetTimestamp();
    reader.Snapshot();
    samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
Array.Sort(samples);
Console.WriteLine($"map read, {Keys} keys ({reader.Count} read), batch lookup, {Rounds} rounds:");
Console.WriteLine($"  min {samples[0]:F3} ms, median {samples[Rounds / 2]:F3} ms, p99 {samples[Rounds * 99 / 100]:F3} ms, max {samples[^1]:F3} ms");
Console.WriteLine($"  managed allocation per read: {allocated / Rounds} bytes; target median <= 1 ms");
Interop.close(fd);
return 0;
