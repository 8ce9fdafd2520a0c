using FleetNet.Agent.Cgroups;
using FleetNet.Agent.Conntrack;
using FleetNet.Agent.Endpoints;
using FleetNet.Agent.Interfaces;
using FleetNet.Agent.Processes;
using FleetNet.Agent.Unattributed;
using FleetNet.Protocol.V1;
using Google.Protobuf;

namespace FleetNet.Agent.Pipeline;

/// <summary>
/// Turns one interval's samples into an encoded <see cref="Batch"/>: numbers them 1, 2, 3… within the
/// epoch and replaces every name by an index into the batch's own string table. Not thread-safe: one
/// sampler owns it.
/// </summary>
internal sealed class BatchBuilder(AgentEpoch epoch, CgroupInfoWriter? cgroups = null, UnattributedCalculator? unattributed = null)
{
    private readonly StringTable _strings = new();
    private ulong _lastSeq;

    /// <summary>The sequence number of the most recent batch (0 before the first).</summary>
    public ulong LastSeq => _lastSeq;

    /// <summary>
    /// Builds and encodes the next batch for the interval [<paramref name="startUnixMs"/>, <paramref name="endUnixMs"/>].
    /// The per-process and per-endpoint samples, thousands in a burst, are written straight into the bytes
    /// through one reused message each, after the rest of the batch (protobuf appends repeated fields that
    /// come later), so no message object is made per sample.
    /// </summary>
    public byte[] Encode(
        long startUnixMs,
        long endUnixMs,
        List<InterfaceUsage> interfaces,
        List<ProcessUsage> processes,
        List<EndpointUsage> endpoints,
        Drops drops,
        ConntrackSnapshot? conntrack = null)
    {
        var head = Build(startUnixMs, endUnixMs, interfaces, processes, drops, conntrack);
        var intervalMs = (uint)Math.Clamp(endUnixMs - startUnixMs, 0, uint.MaxValue);
        var process = new ProcessSample();
        var endpoint = new EndpointSample();
        var addresses = new Dictionary<byte[], ByteString>(ReferenceEqualityComparer.Instance);

        var size = head.CalculateSize();
        foreach (var usage in processes)
        {
            size += SampleSize(Batch.ProcessesFieldNumber, Fill(process, usage, intervalMs));
        }

        foreach (var usage in endpoints)
        {
            size += SampleSize(Batch.EndpointsFieldNumber, EndpointSampleWriter.Fill(endpoint, usage, intervalMs, addresses));
        }

        var bytes = new byte[size];
        var output = new CodedOutputStream(bytes);
        head.WriteTo(output);
        foreach (var usage in processes)
        {
            WriteSample(output, Batch.ProcessesFieldNumber, Fill(process, usage, intervalMs));
        }

        foreach (var usage in endpoints)
        {
            WriteSample(output, Batch.EndpointsFieldNumber, EndpointSampleWriter.Fill(endpoint, usage, intervalMs, addresses));
        }

        output.CheckNoSpaceLeft();
        return bytes;
    }

    /// <summary>Everything but the process and endpoint samples; interns the processes' names.</summary>
    private Batch Build(
        long startUnixMs,
        long endUnixMs,
        List<InterfaceUsage> interfaces,
        List<ProcessUsage> processes,
        Drops drops,
        ConntrackSnapshot? conntrack)
    {
        _strings.Clear();
        var intervalMs = (uint)Math.Clamp(endUnixMs - startUnixMs, 0, uint.MaxValue);
        var batch = new Batch
        {
            Epoch = epoch.Value,
            Seq = ++_lastSeq,
            StartUnixMs = startUnixMs,
            EndUnixMs = endUnixMs,
            Drops = drops,
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
            _strings.Intern(usage.Comm);
            _strings.Intern(usage.Exe);
            _strings.Intern(usage.Cmdline);
            _strings.Intern(usage.Cgroup);
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

    /// <summary>Sets every field of <paramref name="sample"/> from <paramref name="usage"/> (names as interned by <see cref="Build"/>).</summary>
    private ProcessSample Fill(ProcessSample sample, ProcessUsage usage, uint intervalMs)
    {
        sample.OffsetMs = intervalMs;
        sample.IntervalMs = intervalMs;
        sample.Pid = usage.Pid;
        sample.StartUnixMs = usage.StartUnixMs;
        sample.Comm = _strings.Intern(usage.Comm);
        sample.Exe = _strings.Intern(usage.Exe);
        sample.Cmdline = _strings.Intern(usage.Cmdline);
        sample.Cgroup = _strings.Intern(usage.Cgroup);
        sample.CgroupId = usage.CgroupId;
        sample.Uid = usage.Uid;
        sample.Protocol = usage.Protocol;
        sample.TxBytes = usage.TxBytes;
        sample.RxBytes = usage.RxBytes;
        sample.TxCalls = usage.TxCalls;
        sample.RxCalls = usage.RxCalls;
        sample.Netns = usage.Netns;
        sample.Hidden = usage.Hidden;
        sample.Fidelity = usage.Fidelity;
        return sample;
    }

    private static int SampleSize(int field, IMessage sample)
    {
        var length = sample.CalculateSize();
        return CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(length) + length;
    }

    private static void WriteSample(CodedOutputStream output, int field, IMessage sample)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(sample.CalculateSize());
        sample.WriteTo(output);
    }
}
