using FleetNet.Agent.Interfaces;
using FleetNet.Agent.Pipeline;
using FleetNet.Agent.Processes;
using FleetNet.Protocol.V1;
using Google.Protobuf;

namespace FleetNet.Agent.Tests.Pipeline;

public sealed class BatchBuilderTests
{
    private readonly BatchBuilder _builder = new(new AgentEpoch(1_764_072_000_000));

    [Fact]
    public void Encode_RepeatedNames_StoresEachStringOnceAfterEmptyEntry()
    {
        List<ProcessUsage> processes =
        [
            Process(pid: 10, comm: "nginx", exe: "/usr/sbin/nginx"),
            Process(pid: 11, comm: "nginx", exe: "/usr/sbin/nginx"),
            Process(pid: 12, comm: "curl", exe: ""),
        ];

        var batch = Batch.Parser.ParseFrom(_builder.Encode(1000, 11_000, [Interface("eth0")], processes, [], new Drops()));

        Assert.Equal(["", "eth0", "nginx", "/usr/sbin/nginx", "system.slice/nginx.service", "curl"], batch.Strings);
        Assert.Equal(batch.Processes[0].Comm, batch.Processes[1].Comm);
        Assert.Equal(0U, batch.Processes[2].Exe);
        Assert.Equal("curl", batch.Strings[(int)batch.Processes[2].Comm]);
    }

    [Fact]
    public void Encode_EachCall_IncrementsSeqFromOneAndStartsAFreshStringTable()
    {
        var first = Batch.Parser.ParseFrom(_builder.Encode(0, 10_000, [Interface("eth0")], [], [], new Drops()));
        var second = Batch.Parser.ParseFrom(_builder.Encode(10_000, 20_000, [Interface("wlan0")], [], [], new Drops()));
        var third = Batch.Parser.ParseFrom(_builder.Encode(20_000, 30_000, [], [], [], new Drops()));

        Assert.Equal(new[] { 1UL, 2UL, 3UL }, new[] { first.Seq, second.Seq, third.Seq });
        Assert.Equal(["", "wlan0"], second.Strings);
        Assert.Equal([""], third.Strings);
        Assert.Equal(3UL, _builder.LastSeq);
    }

    [Fact]
    public void Encode_EncodedAndDecoded_RoundTripsEveryField()
    {
        var usage = new InterfaceUsage("eth0", 1, 2, 3, 4, 5, 6, 7, 8, 25_000, Reset: true);

        var bytes = _builder.Encode(5_000, 15_000, [usage], [Process(pid: 42, comm: "sshd", exe: "/usr/sbin/sshd")], [],
            new Drops { QueueDropped = 3, MapFull = 9 });
        var batch = Batch.Parser.ParseFrom(bytes);

        Assert.Equal(1_764_072_000_000UL, batch.Epoch);
        Assert.Equal(1UL, batch.Seq);
        Assert.Equal((5_000L, 15_000L), (batch.StartUnixMs, batch.EndUnixMs));
        Assert.Equal((3UL, 9UL), (batch.Drops.QueueDropped, batch.Drops.MapFull));
        var sample = Assert.Single(batch.Interfaces);
        Assert.Equal("eth0", batch.Strings[(int)sample.Name]);
        Assert.Equal((10_000U, 10_000U), (sample.OffsetMs, sample.IntervalMs));
        Assert.Equal(new ulong[] { 1, 2, 3, 4, 5, 6, 7, 8 }, new[] { sample.RxBytes, sample.TxBytes, sample.RxPackets, sample.TxPackets,
            sample.RxErrors, sample.TxErrors, sample.RxDropped, sample.TxDropped });
        Assert.Equal(25_000U, sample.SpeedMbps);
        Assert.True(sample.Reset);
        var process = Assert.Single(batch.Processes);
        Assert.Equal((42U, 1_700_000_000_000L, 1000U, 777UL), (process.Pid, process.StartUnixMs, process.Uid, process.CgroupId));
        Assert.Equal(IpProtocol.Tcp, process.Protocol);
        Assert.Equal(new ulong[] { 100, 200, 3, 4 }, new[] { process.TxBytes, process.RxBytes, process.TxCalls, process.RxCalls });
        Assert.Equal(new[] { "sshd", "/usr/sbin/sshd", "sshd -D", "system.slice/nginx.service" },
            new[] {batch.Strings[(int)process.Comm], batch.Strings[(int)process.Exe], batch.Strings[(int)process.Cmdline],
             batch.Strings[(int)process.Cgroup] });
    }

    private static InterfaceUsage Interface(string name) => new(name, 1, 1, 1, 1, 0, 0, 0, 0, 1000, Reset: false);

    private static ProcessUsage Process(uint pid, string comm, string exe) =>
        new(pid, 1_700_000_000_000, comm, exe, comm == "sshd" ? "sshd -D" : "", "system.slice/nginx.service", 777, 1000,
            IpProtocol.Tcp, 100, 200, 3, 4);
}
