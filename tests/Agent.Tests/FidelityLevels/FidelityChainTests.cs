using FleetNet.Agent.FidelityLevels;
using FleetNet.Agent.Processes;
using FleetNet.Agent.Tests.Interop;
using FleetNet.Agent.Tests.Processes;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetNet.Agent.Tests.FidelityLevels;

/// <summary>Each level of the chain forced by configuration, on the real kernel with real loopback traffic.</summary>
[Collection(LibbpfCollection.Name)]
public sealed class FidelityChainTests
{
    [PrivilegedFact]
    public void Start_Auto_BestLevelBtfTracepoint()
    {
        using var source = StartLevel("auto");
        Assert.Equal(Fidelity.BtfTracepoint, source.Fidelity);
    }

    [PrivilegedFact]
    public void Start_ForcedRawTracepoint_ExactBytesForTheProcess()
    {
        using var source = StartLevel("raw_tracepoint");
        Assert.Equal(Fidelity.RawTracepoint, source.Fidelity);
        Assert.Equal("processes:raw_tp", source.Mechanism);
        using var sink = new LoopbackSink();
        var pid = Children.Run("/bin/bash", "-c", Children.SendTcp("127.0.0.1", sink.Port, 8765));
        sink.WaitForBytes(8765);

        var usages = new List<ProcessUsage>();
        source.Collect(usages);
        var usage = Assert.Single(usages, u => u.Pid == (uint)pid);
        Assert.Equal(8765ul, usage.TxBytes);
        Assert.Equal("/bin/bash", usage.Exe);
        Assert.Equal(Fidelity.RawTracepoint, usage.Fidelity);
    }

    [PrivilegedFact]
    public void Start_ForcedCgroupSkb_PacketBytesForTheCgroupWithPidZero()
    {
        const int Payload = 50_000;
        using var cgroup = new TestCgroup();
        using (var source = StartLevel("cgroup_skb"))
        using (var sink = new LoopbackSink())
        {
            Assert.Equal(Fidelity.CgroupSkb, source.Fidelity);
            Children.Run("/bin/bash", "-c", cgroup.Enter + Children.SendTcp("127.0.0.1", sink.Port, Payload));
            sink.WaitForBytes(Payload);

            var usages = new List<ProcessUsage>();
            source.Collect(usages);
            var usage = Assert.Single(usages, u => u.CgroupId == cgroup.Id);
            Assert.Equal(0u, usage.Pid);
            Assert.Equal("/" + cgroup.Name, usage.Cgroup);
            Assert.Equal(IpProtocol.Tcp, usage.Protocol);
            Assert.Equal(Fidelity.CgroupSkb, usage.Fidelity);
            // IP packet lengths: the payload plus headers, plus any segment TCP sent again (seen on a loaded
            // loopback: 67,864 bytes in 12 packets for 50,000 bytes of payload), so a range, not a figure.
            Assert.InRange(usage.TxBytes, (ulong)Payload, 2ul * Payload);
            Assert.True(usage.RxCalls > 0, "the peer's ACKs reach the child's socket");
        }
    }

    [PrivilegedFact]
    public void Start_ForcedSockDiag_TcpBytesOfTheOwningProcessWithoutBpf()
    {
        const int Payload = 40_000;
        using var source = StartLevel("sock_diag");
        Assert.Equal(Fidelity.SockDiag, source.Fidelity);
        using var sink = new LoopbackSink();
        // The child keeps its socket open until told, so the poll finds it with its owner's fd.
        using var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/bash",
            ["-c", Children.SendTcp("127.0.0.1", sink.Port, Payload).Replace("; exec 3>&-", "; read -r done; exec 3>&-")]) { RedirectStandardInput = true })!;
        try
        {
            sink.WaitForBytes(Payload);
            ulong tx = 0;
            var usages = new List<ProcessUsage>();
            var deadline = Environment.TickCount64 + 10_000;
            while (tx < Payload && Environment.TickCount64 < deadline)
            {
                // bytes_acked grows when the ACKs are in: bounded polling for that.
                usages.Clear();
                source.Collect(usages);
                foreach (var usage in usages.FindAll(u => u.Pid == (uint)child.Id))
                {
                    Assert.Equal(Fidelity.SockDiag, usage.Fidelity);
                    Assert.EndsWith("/bin/bash", usage.Exe);
                    tx += usage.TxBytes;
                }
            }

            Assert.Equal((ulong)Payload, tx);
            var endpoints = new List<FleetNet.Agent.Endpoints.EndpointUsage>();
            source.CollectEndpoints(endpoints);
            usages.Clear();
            source.Collect(usages);
            Assert.DoesNotContain(usages, u => u.Pid == (uint)child.Id); // deltas: nothing twice
        }
        finally
        {
            child.StandardInput.WriteLine();
            child.WaitForExit(10_000);
        }
    }

    [Fact]
    public void Start_ForcedInterfacesOnly_NoSourceAndSaysWhy()
    {
        var source = FidelityChain.Start(new AgentOptions { Fidelity = "interfaces_only" }, NullLoggerFactory.Instance, out var reason);
        Assert.Null(source);
        Assert.Contains("interfaces_only", reason);
    }

    [Theory]
    [InlineData("btf_tracepoint", Fidelity.BtfTracepoint)]
    [InlineData("raw_tracepoint", Fidelity.RawTracepoint)]
    [InlineData("cgroup_skb", Fidelity.CgroupSkb)]
    [InlineData("sock_diag", Fidelity.SockDiag)]
    [InlineData("interfaces_only", Fidelity.InterfacesOnly)]
    public void Parse_LevelName_Level(string name, Fidelity expected) => Assert.Equal(expected, FidelityChain.Parse(name));

    [Theory]
    [InlineData("auto", true)]
    [InlineData("sock_diag", true)]
    [InlineData("kprobe", false)]
    public void Validate_FidelityName_OnlyKnownLevelsAccepted(string name, bool valid)
    {
        var result = new FleetNet.Agent.Hosting.AgentOptionsValidator().Validate(null, new AgentOptions { Fidelity = name });
        Assert.Equal(valid, result.Succeeded);
    }

    [Fact]
    public void Parse_Auto_Null() => Assert.Null(FidelityChain.Parse("auto"));

    internal static IProcessTrafficSource StartLevel(string level)
    {
        PrivilegedFactAttribute.RequireRoot();
        var options = new AgentOptions { Fidelity = level, BpfMapEntries = 4096 };
        var source = FidelityChain.Start(options, NullLoggerFactory.Instance, out var reason);
        Assert.True(source is not null, level + " did not start: " + reason);
        return source;
    }
}
