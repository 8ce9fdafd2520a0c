using FleetNet.Agent.Cgroups;
using FleetNet.Agent.Conntrack;
using FleetNet.Agent.Interfaces;
using FleetNet.Agent.Processes;
using FleetNet.Agent.Unattributed;
using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Pipeline;

/// <summary>
/// Turns one interval's samples into a <see cref="Batch"/>: numbers them 1, 2, 3… within the epoch and
/// replaces every name by an index into the batch's own string table. Not thread-safe: one sampler owns it.
/// </summary>
internal sealed class BatchBuilder(AgentEpoch epoch, CgroupInfoWriter? cgroups = null, UnattributedCalculator? unattributed = null)
{
    private readonly StringTable _strings = new();
    private ulong _lastSeq;

    /// <summary>The sequence number of the most recent batch (0 before the first).</summary>
    public ulong LastSeq => _lastSeq;

    /// <summary>Builds the next batch for the interval [<paramref name="startUnixMs"/>, <paramref name="endUnixMs"/>].</summary>
    public Batch Build(
        long startUnixMs,
        long endUnixMs,
        List<InterfaceUsage> interfaces,
        List<ProcessUsage> processes,
        ulong queueDropped,
        ulong mapFull,
        ConntrackSnapshot? conntrack = null)
    {
        _strings.Clear();
        var intervalMs = (uint)Math.Clamp(endUnixMs - startUnixMs, 0, uint.MaxValue);
        var batch = new Batch
        {
            Epoch = epoch.Value,
            Seq = ++_lastSeq,
            StartUnixMs = startUnixMs,
            EndUnixMs = endUnixMs,
            Drops = new Drops { QueueDropped = queueDropped, MapFull = mapFull },
        };

        foreach (var usage in interfaces)
        {
            batch.Interfaces.Add(new InterfaceSample
            {
                Name = _strings.Intern(usage.Name),
                OffsetMs = intervalMs,
                IntervalMs = intervalMs,
                RxBytes = usage.RxBytes,
                TxBytes = usage.TxBytes,
                RxPackets = usage.RxPackets,
                TxPackets = usage.TxPackets,
                RxErrors = usage.RxErrors,
                TxErrors = usage.TxErrors,
                RxDropped = usage.RxDropped,
                TxDropped = usage.TxDropped,
                SpeedMbps = usage.SpeedMbps,
                Reset = usage.Reset,
            });
        }

        foreach (var usage in processes)
        {
            batch.Processes.Add(new ProcessSample
            {
                OffsetMs = intervalMs,
                IntervalMs = intervalMs,
                Pid = usage.Pid,
                StartUnixMs = usage.StartUnixMs,
                Comm = _strings.Intern(usage.Comm),
                Exe = _strings.Intern(usage.Exe),
                Cmdline = _strings.Intern(usage.Cmdline),
                Cgroup = _strings.Intern(usage.Cgroup),
                CgroupId = usage.CgroupId,
                Uid = usage.Uid,
                Protocol = usage.Protocol,
                TxBytes = usage.TxBytes,
                RxBytes = usage.RxBytes,
                TxCalls = usage.TxCalls,
                RxCalls = usage.RxCalls,
                Netns = usage.Netns,
                Hidden = usage.Hidden,
                Fidelity = usage.Fidelity,
            });
        }

        cgroups?.AddTo(batch, processes, _strings);
        if (unattributed is not null)
        {
            batch.Unattributed.Add(UnattributedBatchWriter.Sample(unattributed.Compute(interfaces, processes), intervalMs));
        }

        if (conntrack is not null)
        {
            ConntrackBatchWriter.AddTo(batch, conntrack, _strings, intervalMs);
        }

        batch.Strings.AddRange(_strings.Strings);
        return batch;
    }
}
