using FleetNet.Agent.Spool;
using FleetNet.Hub.Ingest;
using FleetNet.Protocol.V1;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace FleetNet.Fuzz;

/// <summary>
/// One method per fuzz target. Each takes arbitrary bytes and must return normally: an exception
/// escaping a target is a bug (a parser that throws on hostile input, or an invariant it breaks).
/// Expected refusals (an undecodable protobuf) are caught here, exactly where production catches them.
/// </summary>
public static class FuzzTargets
{
    /// <summary>The names the harness accepts.</summary>
    public static readonly string[] Names =
    [
        "batch", "spool", "proc", "sysfs",
#if FLEETNET_CONNTRACK
        "ctnetlink",
#endif
    ];

    private static readonly BatchValidator Validator = new(
        Options.Create(new IngestOptions()), new FixedTime(DateTimeOffset.FromUnixTimeMilliseconds(1_764_072_000_000)));

    public static Action<byte[]> Get(string name) => name switch
    {
        "batch" => Batch,
        "spool" => Spool,
        "proc" => Proc,
        "sysfs" => Sysfs,
#if FLEETNET_CONNTRACK
        "ctnetlink" => CtNetlink,
#endif
        _ => throw new ArgumentException($"unknown fuzz target '{name}' (known: {string.Join(", ", Names)})"),
    };

    /// <summary>The hub's decode + validate path for one agent batch, and the agent's own batch summary.</summary>
    public static void Batch(byte[] data)
    {
        BatchSummary.TryRead(data, out _);
        Batch batch;
        try
        {
            batch = Protocol.V1.Batch.Parser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException)
        {
            return;
        }

        Validator.Validate(batch, batch.Epoch);
        Validator.Validate(batch, batch.Epoch + 1);
    }

    /// <summary>The spool's recovery scan over one segment file's bytes: records must stay inside the data.</summary>
    public static void Spool(byte[] data)
    {
        var scan = SpoolSegmentScan.Scan(1, data);
        if (scan.ValidLength > data.Length || scan.TornBytes < 0)
        {
            throw new InvalidOperationException("scan reached past the data");
        }

        foreach (var record in scan.Records)
        {
            if (record.Offset < 0 || record.Offset + record.Length > scan.ValidLength)
            {
                throw new InvalidOperationException($"record at {record.Offset} overruns the intact prefix");
            }
        }
    }

    /// <summary>
    /// The agent's /proc readers over fuzzed file contents: the input is split on a 0xFF byte into
    /// /proc/stat, /proc/1/stat, /proc/1/status, /proc/1/cmdline, /proc/1/cgroup and /proc/self/status.
    /// </summary>
    public static void Proc(byte[] data)
    {
        var root = FuzzFiles.Root("proc");
        var parts = FuzzFiles.Split(data, 6);
        FuzzFiles.Write(root, "stat", parts[0]);
        FuzzFiles.Write(root, "1/stat", parts[1]);
        FuzzFiles.Write(root, "1/status", parts[2]);
        FuzzFiles.Write(root, "1/cmdline", parts[3]);
        FuzzFiles.Write(root, "1/cgroup", parts[4]);
        FuzzFiles.Write(root, "self/status", parts[5]);

        var reader = new Agent.Processes.ProcReader(root);
        reader.TryReadBootTimeSeconds(out _);
        if (reader.TryReadStartTicks(1, out var ticks))
        {
            reader.ReadProcess(1, ticks * (1_000_000_000 / Agent.Processes.ProcReader.ClockTicksPerSecond));
        }

        reader.TryReadEffectiveCapabilities(out _);
    }

    /// <summary>
    /// The agent's sysfs readers: the input is split on 0xFF into ifindex, speed and the eight statistics
    /// files of one interface, read twice (two snapshots), and the counter deltas between them.
    /// </summary>
    public static void Sysfs(byte[] data)
    {
        var root = FuzzFiles.Root("sys");
        var parts = FuzzFiles.Split(data, 20);
        string[] stats = ["rx_bytes", "tx_bytes", "rx_packets", "tx_packets", "rx_errors", "tx_errors", "rx_dropped", "tx_dropped"];
        var counters = new Agent.Interfaces.InterfaceCounters[2];
        var read = new bool[2];
        for (var snapshot = 0; snapshot < 2; snapshot++)
        {
            var offset = snapshot * 10;
            FuzzFiles.Write(root, "ifindex", parts[offset]);
            FuzzFiles.Write(root, "speed", parts[offset + 1]);
            for (var i = 0; i < stats.Length; i++)
            {
                FuzzFiles.Write(root, "statistics/" + stats[i], parts[offset + 2 + i]);
            }

            read[snapshot] = Agent.Interfaces.InterfaceCounters.TryRead(root, out counters[snapshot]);
            Agent.Interfaces.InterfaceCounters.ReadSpeed(root);
        }

        if (read[0] && read[1])
        {
            var plausible = Agent.Interfaces.CounterDelta.PlausibleBytes(Agent.Interfaces.InterfaceCounters.ReadSpeed(root), 10);
            if (Agent.Interfaces.CounterDelta.TryCompute(counters[0].RxBytes, counters[1].RxBytes, plausible, out var delta)
                && counters[1].RxBytes < counters[0].RxBytes && delta >= 1UL << 31)
            {
                throw new InvalidOperationException($"implausible wrap accepted: {counters[0].RxBytes} -> {counters[1].RxBytes} = {delta}");
            }
        }
    }

#if FLEETNET_CONNTRACK
    /// <summary>The ctnetlink dump parser (issue 3) over one receive buffer.</summary>
    public static void CtNetlink(byte[] data)
    {
        var entries = new List<Agent.Conntrack.ConntrackEntry>();
        Agent.Conntrack.CtNetlinkParser.Parse(data, entries);
    }
#endif
}
