using Google.Protobuf;
using FleetNet.Protocol.V1;

namespace FleetNet.Hub.Tests.Ingest;

/// <summary>Builds wire messages the way an agent would, for tests.</summary>
internal static class TestBatches
{
    public static Hello Hello(string host, ulong epoch = 1000) => new()
    {
        HostName = host,
        MachineId = "0123456789abcdef0123456789abcdef",
        BootId = "boot",
        AgentVersion = "test",
        Kernel = "6.18.0-test",
        Fidelity = Fidelity.BtfTracepoint,
        Epoch = epoch,
        Collectors = { "interfaces", "processes:tp_btf" },
        Labels = { ["role"] = "test" },
    };

    /// <summary>A 10-second batch ending at <paramref name="end"/> with one sample per process (tx, rx).</summary>
    public static Batch Batch(ulong seq, DateTimeOffset end, ulong epoch = 1000, params (uint Pid, string Comm, ulong Tx, ulong Rx)[] processes)
    {
        var batch = new Batch
        {
            Epoch = epoch,
            Seq = seq,
            StartUnixMs = end.ToUnixTimeMilliseconds() - 10_000,
            EndUnixMs = end.ToUnixTimeMilliseconds(),
            Strings = { "", "eth0" },
            Interfaces = { new InterfaceSample { Name = 1, OffsetMs = 10_000, IntervalMs = 10_000, RxBytes = 500, TxBytes = 700, SpeedMbps = 1000 } },
        };
        foreach (var (pid, comm, tx, rx) in processes)
        {
            batch.Strings.Add(comm);
            var name = (uint)batch.Strings.Count - 1;
            batch.Strings.Add($"/usr/bin/{comm}");
            batch.Processes.Add(new ProcessSample
            {
                OffsetMs = 10_000,
                IntervalMs = 10_000,
                Pid = pid,
                StartUnixMs = 1_700_000_000_000 + pid,
                Comm = name,
                Exe = name + 1,
                Cmdline = name + 1,
                Cgroup = 0,
                Protocol = IpProtocol.Tcp,
                TxBytes = tx,
                RxBytes = rx,
                TxCalls = 1,
                RxCalls = 1,
            });
        }

        return batch;
    }

    /// <summary>Puts the batch's first process in cgroup <paramref name="id"/> at <paramref name="path"/>, with a systemd unit or a container name.</summary>
    public static void InCgroup(Batch batch, ulong id, string path, string? unit = null, string? containerName = null)
    {
        batch.Strings.Add(path);
        var cgroup = new CgroupInfo { Id = id, Path = (uint)batch.Strings.Count - 1 };
        if (unit is not null)
        {
            batch.Strings.Add(unit);
            cgroup.Unit = (uint)batch.Strings.Count - 1;
        }

        if (containerName is not null)
        {
            batch.Strings.Add(containerName);
            cgroup.ContainerName = (uint)batch.Strings.Count - 1;
        }

        batch.Processes[0].CgroupId = id;
        batch.Cgroups.Add(cgroup);
    }

    /// <summary>Adds a TCP endpoint sample of the process <paramref name="pid"/> (as <see cref="Batch"/> made it) over the whole interval.</summary>
    public static void AddTcpEndpoint(Batch batch, uint pid, byte[] remoteAddress, uint remotePort, ulong tx, ulong rx) =>
        batch.Endpoints.Add(new EndpointSample
        {
            OffsetMs = 10_000, IntervalMs = 10_000, Pid = pid, StartUnixMs = 1_700_000_000_000 + pid, Protocol = IpProtocol.Tcp,
            RemoteAddress = Google.Protobuf.ByteString.CopyFrom(remoteAddress), RemotePort = remotePort, TxBytes = tx, RxBytes = rx,
        });

    public static AgentMessage Message(Batch batch) => new() { Batch = Google.Protobuf.ByteString.CopyFrom(batch.ToByteArray()) };
}
