using System.Net;
using FleetNet.Agent.Endpoints;
using FleetNet.Agent.Processes;
using FleetNet.Agent.Tests.Interop;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetNet.Agent.Tests.Processes;

/// <summary>The tracepoint levels on the real kernel: endpoints, short-lived processes, pid reuse, renames, namespaces, cgroups.</summary>
[Collection(LibbpfCollection.Name)]
public sealed class TracepointScenarioTests
{
    [PrivilegedFact]
    public void Collect_ProcessExitsRightAfterSending_BytesExeAndEndpointKeptAndEntryFinal()
    {
        using var source = Start();
        using var sink = new LoopbackSink();
        var pid = Children.Run("/bin/bash", "-c", Children.SendTcp("127.0.0.1", sink.Port, 12_345));
        sink.WaitForBytes(12_345);

        var (usages, endpoints) = Collect(source);
        var usage = Assert.Single(usages, u => u.Pid == (uint)pid);
        Assert.Equal(12_345ul, usage.TxBytes);
        Assert.Equal("/bin/bash", usage.Exe); // from exec: /proc/<pid> is gone by now
        Assert.Equal("bash", usage.Comm);
        Assert.False(usage.Hidden);
        Assert.Equal(Children.Inode("/proc/self/ns/net"), usage.Netns);
        Assert.Equal(Fidelity.BtfTracepoint, usage.Fidelity);

        var endpoint = Assert.Single(endpoints, e => e.Pid == (uint)pid);
        Assert.Equal(IPAddress.Loopback.GetAddressBytes(), endpoint.RemoteAddress);
        Assert.Equal((uint)sink.Port, endpoint.RemotePort);
        Assert.NotEqual(0u, endpoint.LocalPort);
        Assert.Equal(12_345ul, endpoint.TxBytes);
        Assert.Equal(usage.StartUnixMs, endpoint.StartUnixMs);

        // Final at once: the exit was seen, so the entry left the map in the same collection.
        Assert.DoesNotContain(Keys(source), k => k == (uint)pid);
    }

    [PrivilegedFact]
    public void Collect_PidReused_TwoProcessesTwoSamples()
    {
        using var source = Start();
        using var sink = new LoopbackSink();
        var first = Children.Run("/bin/bash", "-c", Children.SendTcp("127.0.0.1", sink.Port, 1111));
        var second = -1;
        for (var attempt = 0; attempt < 50 && second != first; attempt++)
        {
            // The next fork gets ns_last_pid + 1, unless another process on the host forks first: retry then.
            File.WriteAllText("/proc/sys/kernel/ns_last_pid", (first - 1).ToString());
            second = Children.Run("/bin/bash", "-c", Children.SendTcp("127.0.0.1", sink.Port, 2222));
        }

        Assert.Equal(first, second);
        sink.WaitForBytes(1111 + 2222);
        var (usages, _) = Collect(source);
        var mine = usages.FindAll(u => u.Pid == (uint)first);
        Assert.Contains(mine, u => u.TxBytes == 1111);
        Assert.Contains(mine, u => u.TxBytes == 2222);
        Assert.NotEqual(mine.Find(u => u.TxBytes == 1111)!.StartUnixMs, mine.Find(u => u.TxBytes == 2222)!.StartUnixMs);
    }

    [PrivilegedFact]
    public void Collect_ProcessRenamesItself_CommIsNewNameExeIsStillTheBinary()
    {
        using var source = Start();
        using var sink = new LoopbackSink();
        var script = "import ctypes,socket\n"
            + "ctypes.CDLL(None).prctl(15, b'innocent', 0, 0, 0)\n"
            + $"s = socket.create_connection(('127.0.0.1', {sink.Port})); s.sendall(b'x' * 4321); s.close()\n";
        var pid = Children.Run("/usr/bin/python3", "-c", script);
        sink.WaitForBytes(4321);

        var usage = Assert.Single(Collect(source).Usages, u => u.Pid == (uint)pid);
        Assert.Equal("innocent", usage.Comm);
        Assert.StartsWith("/usr/bin/python3", usage.Exe);
        Assert.Equal(4321ul, usage.TxBytes);
    }

    [PrivilegedFact]
    public void Collect_ChildConnectsToManyPorts_TopKPlusOtherBucket()
    {
        using var source = Start(new AgentOptions { BpfMapEntries = 4096, EndpointTopK = 5 });
        using var sink = new LoopbackSink(ports: 30);
        var script = "";
        var total = 0;
        for (var i = 0; i < sink.Ports.Count; i++)
        {
            script += Children.SendTcp("127.0.0.1", sink.Ports[i], 1000 + i) + "; ";
            total += 1000 + i;
        }

        var pid = Children.Run("/bin/bash", "-c", script);
        sink.WaitForBytes(total);
        var endpoints = Collect(source).Endpoints.FindAll(e => e.Pid == (uint)pid);
        Assert.Equal(6, endpoints.Count);
        var other = Assert.Single(endpoints, e => e.IsOther);
        Assert.Equal(25u, other.OtherEndpoints);
        ulong sum = 0;
        foreach (var e in endpoints)
        {
            sum += e.TxBytes;
        }

        Assert.Equal((ulong)total, sum);
        // The kept ones are the biggest: ports 25..29 sent 1025..1029 bytes.
        Assert.All(endpoints.FindAll(e => !e.IsOther), e => Assert.True(e.TxBytes >= 1025));
    }

    [PrivilegedFact]
    public void Collect_TinyEndpointMap_EvictionsCounted()
    {
        using var source = Start(new AgentOptions { BpfMapEntries = 4096, BpfEndpointMapEntries = 16 });
        using var sink = new LoopbackSink(ports: 64);
        var script = "";
        foreach (var port in sink.Ports)
        {
            script += Children.SendTcp("127.0.0.1", port, 100) + "; ";
        }

        Children.Run("/bin/bash", "-c", script);
        sink.WaitForBytes(6400);
        Collect(source);
        Assert.True(source.MapEvictions >= 64 - 16, "evictions: " + source.MapEvictions);
    }

    [PrivilegedFact]
    public void Collect_TinyProcessRecordMap_LostEventsCountedBytesStillExact()
    {
        using var source = Start(new AgentOptions { BpfMapEntries = 4096, BpfProcessMapEntries = 4 });
        using var sink = new LoopbackSink();
        // 20 subshells (forks without exec): each one's first send creates its record, its exit keeps it.
        var script = "";
        for (var i = 0; i < 20; i++)
        {
            script += "( echo $BASHPID; " + Children.SendTcp("127.0.0.1", sink.Port, 100) + " ); ";
        }

        var pids = Array.ConvertAll(Children.Capture("/bin/bash", "-c", script).Split('\n', StringSplitOptions.RemoveEmptyEntries), uint.Parse);
        sink.WaitForBytes(2000);

        var usages = Collect(source).Usages;
        Assert.True(source.LostEvents >= 20 - 4, "lost events: " + source.LostEvents);
        Assert.All(pids, pid => Assert.Equal(100ul, Assert.Single(usages, u => u.Pid == pid).TxBytes));
    }

    [PrivilegedFact]
    public void Collect_BurstOfProcessesBeyondTheRecordBuffer_EveryProcessExactWithExeFromExecAndFinal()
    {
        // More processes than the fn_procs reader's buffer holds (it reads the map in parts): every
        // record must still be seen, or the exe (only BPF knows it once /proc is gone) and the exit mark go missing.
        const int Count = 1500;
        using var source = Start();
        using var sink = new LoopbackSink();
        var script = $"for i in $(seq {Count}); do /bin/bash -c \"{Children.SendTcp("127.0.0.1", sink.Port, 100)}\" & echo $!; "
            + "if (( i % 50 == 0 )); then wait; fi; done; wait";
        var pids = Array.ConvertAll(Children.Capture("/bin/bash", "-c", script).Split('\n', StringSplitOptions.RemoveEmptyEntries), uint.Parse);
        sink.WaitForBytes(Count * 100);

        var usages = Collect(source).Usages;
        var byPid = new Dictionary<uint, ProcessUsage>();
        foreach (var usage in usages)
        {
            if (Array.IndexOf(pids, usage.Pid) >= 0)
            {
                Assert.True(byPid.TryAdd(usage.Pid, usage), "two samples for pid " + usage.Pid);
            }
        }

        Assert.Equal(Count, byPid.Count);
        Assert.All(byPid.Values, u => Assert.Equal((100ul, "/bin/bash"), (u.TxBytes, u.Exe)));
        Assert.Equal(0ul, source.LostEvents);
        var left = Keys(source);
        Assert.DoesNotContain(left, pid => Array.IndexOf(pids, pid) >= 0);
    }

    [PrivilegedFact]
    public void Collect_PidNotInAgentsProc_FlaggedHiddenWithExeFromExec()
    {
        var emptyProc = Directory.CreateTempSubdirectory("fleetnet-proc-").FullName;
        File.WriteAllText(Path.Combine(emptyProc, "stat"), "btime 1700000000\n");
        try
        {
            using var source = Start(new AgentOptions { BpfMapEntries = 4096, ProcRoot = emptyProc });
            using var sink = new LoopbackSink();
            using var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/bash",
                ["-c", Children.SendTcp("127.0.0.1", sink.Port, 777) + "; read -r done"]) { RedirectStandardInput = true })!;
            try
            {
                sink.WaitForBytes(777);
                var usage = Assert.Single(Collect(source).Usages, u => u.Pid == (uint)child.Id);
                Assert.True(usage.Hidden);
                Assert.Equal("/bin/bash", usage.Exe);
                Assert.Equal(777ul, usage.TxBytes);
            }
            finally
            {
                child.StandardInput.WriteLine();
                child.WaitForExit(10_000);
            }
        }
        finally
        {
            Directory.Delete(emptyProc, recursive: true);
        }
    }

    [PrivilegedFact]
    public void Collect_ChildConnectedUdp_EndpointCarriesThePeer()
    {
        using var source = Start();
        using var receiver = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        var pid = Children.Run("/bin/bash", "-c", $"printf '%*s' 999 '' > /dev/udp/127.0.0.1/{port}");
        var endpoints = Collect(source).Endpoints.FindAll(e => e.Pid == (uint)pid);
        var endpoint = Assert.Single(endpoints);
        Assert.Equal(IpProtocol.Udp, endpoint.Protocol);
        Assert.Equal(999ul, endpoint.TxBytes);
        // bash connects its /dev/udp socket, so the peer is known here.
        Assert.Equal((uint)port, endpoint.RemotePort);
    }

    [PrivilegedFact]
    public void Collect_OwnUnconnectedUdpSendToTwoPeers_EachEndpointCarriesThePeerTheCallNamed()
    {
        using var source = Start();
        using var sender = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var first = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var second = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        Collect(source); // baseline
        sender.SendTo(new byte[1234], first.Client.LocalEndPoint!);
        sender.SendTo(new byte[100], second.Client.LocalEndPoint!);
        sender.SendTo(new byte[100], second.Client.LocalEndPoint!);

        var localPort = (uint)((IPEndPoint)sender.LocalEndPoint!).Port;
        var mine = Collect(source).Endpoints.FindAll(e => e.Pid == (uint)Environment.ProcessId && e.LocalPort == localPort);
        var toFirst = Assert.Single(mine, e => e.RemotePort == (uint)((IPEndPoint)first.Client.LocalEndPoint!).Port);
        Assert.Equal(IPAddress.Loopback.GetAddressBytes(), toFirst.RemoteAddress);
        Assert.Equal((1234ul, 1ul), (toFirst.TxBytes, toFirst.TxCalls));
        var toSecond = Assert.Single(mine, e => e.RemotePort == (uint)((IPEndPoint)second.Client.LocalEndPoint!).Port);
        Assert.Equal((200ul, 2ul), (toSecond.TxBytes, toSecond.TxCalls));
        Assert.DoesNotContain(mine, e => e.RemotePort == 0);
    }

    [PrivilegedFact]
    public void Collect_OwnUnconnectedUdpRecvFrom_EndpointCarriesTheSender()
    {
        using var source = Start();
        using var receiver = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetworkV6, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        using var sender = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        Collect(source); // baseline
        sender.Send(new byte[321], (IPEndPoint)receiver.LocalEndPoint!);
        EndPoint from = new IPEndPoint(IPAddress.IPv6Any, 0);
        Assert.Equal(321, receiver.ReceiveFrom(new byte[2048], ref from));

        var localPort = (uint)((IPEndPoint)receiver.LocalEndPoint!).Port;
        var endpoint = Assert.Single(Collect(source).Endpoints, e => e.Pid == (uint)Environment.ProcessId && e.LocalPort == localPort);
        Assert.Equal(IPAddress.IPv6Loopback.GetAddressBytes(), endpoint.RemoteAddress);
        Assert.Equal((uint)((IPEndPoint)sender.Client.LocalEndPoint!).Port, endpoint.RemotePort);
        Assert.Equal((321ul, 1ul), (endpoint.RxBytes, endpoint.RxCalls));
    }

    [PrivilegedFact]
    public void Collect_EndpointIdleForAnInterval_TakenOutOfTheMapAndCountedFromZeroWhenBusyAgain()
    {
        using var source = Start();
        using var receiver = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        sender.Connect(receiver.Client.LocalEndPoint!);
        var pid = (uint)Environment.ProcessId;
        var localPort = (uint)((IPEndPoint)sender.LocalEndPoint!).Port;
        bool Mine(EndpointUsage e) => e.Pid == pid && e.LocalPort == localPort;
        bool InMap() => source.EndpointMap.Snapshot() == 0 && source.EndpointMap.Keys.ToArray().Any(k => k.Tgid == pid && k.Lport == localPort);

        sender.Send(new byte[100]);
        var first = Assert.Single(Collect(source).Endpoints, Mine);
        Assert.Equal((100ul, 1ul), (first.TxBytes, first.TxCalls));
        Assert.True(InMap());

        // A whole interval without traffic: the entry and its baseline go.
        Assert.DoesNotContain(Collect(source).Endpoints, Mine);
        Assert.False(InMap());

        sender.Send(new byte[40]);
        var again = Assert.Single(Collect(source).Endpoints, Mine);
        Assert.Equal((40ul, 1ul), (again.TxBytes, again.TxCalls));
    }

    internal static BpfProcessTrafficSource Start(AgentOptions? options = null, Fidelity fidelity = Fidelity.BtfTracepoint)
    {
        PrivilegedFactAttribute.RequireRoot();
        var started = BpfProcessTrafficSource.TryStart(options ?? new AgentOptions { BpfMapEntries = 4096 }, fidelity, NullLoggerFactory.Instance, out var source, out var reason);
        Assert.True(started, "TryStart failed: " + reason);
        return (BpfProcessTrafficSource)source!;
    }

    internal static (List<ProcessUsage> Usages, List<EndpointUsage> Endpoints) Collect(BpfProcessTrafficSource source)
    {
        var usages = new List<ProcessUsage>();
        var endpoints = new List<EndpointUsage>();
        source.Collect(usages);
        source.CollectEndpoints(endpoints);
        return (usages, endpoints);
    }

    private static List<uint> Keys(BpfProcessTrafficSource source)
    {
        Assert.Equal(0, source.Map.Snapshot());
        var pids = new List<uint>();
        foreach (var key in source.Map.Keys)
        {
            pids.Add(key.Tgid);
        }

        return pids;
    }
}
