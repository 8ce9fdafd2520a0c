using System.Net;
using System.Net.Sockets;
using FleetNet.Agent.Endpoints;
using FleetNet.Agent.Tests.Interop;
using static FleetNet.Agent.Tests.Processes.TracepointScenarioTests;

namespace FleetNet.Agent.Tests.Processes;

/// <summary>
/// The BTF level's per-socket TCP counters (fn_socks in fleetnet.bpf.c) on the real kernel: after a socket's
/// first call its owner's calls add there, and the bytes reach the maps through the agent's flush before each
/// read, through the socket's close, or when another process uses the socket.
/// </summary>
[Collection(LibbpfCollection.Name)]
public sealed class SocketCounterTests
{
    [PrivilegedFact]
    public void Collect_ManyCallsOnOneSocketOverTwoIntervals_EachIntervalExact()
    {
        using var source = Start();
        using var sink = new LoopbackSink();
        using var sender = Connect(sink.Port);
        bool Mine(EndpointUsage e) => e.Pid == (uint)Environment.ProcessId && e.LocalPort == LocalPort(sender);

        for (var i = 0; i < 10; i++)
        {
            sender.Send(new byte[1000]);
        }

        sink.WaitForBytes(10_000);
        var first = Assert.Single(Collect(source).Endpoints, Mine);
        Assert.Equal((10_000ul, 10ul), (first.TxBytes, first.TxCalls));

        for (var i = 0; i < 5; i++)
        {
            sender.Send(new byte[300]);
        }

        sink.WaitForBytes(11_500);
        var second = Assert.Single(Collect(source).Endpoints, Mine);
        Assert.Equal((1_500ul, 5ul), (second.TxBytes, second.TxCalls));
    }

    [PrivilegedFact]
    public void Collect_SocketClosedBeforeTheRead_ItsBytesKept()
    {
        using var source = Start();
        using var sink = new LoopbackSink();
        var sender = Connect(sink.Port);
        var localPort = LocalPort(sender);
        for (var i = 0; i < 20; i++)
        {
            sender.Send(new byte[500]);
        }

        sender.Dispose();
        sink.WaitForBytes(10_000);

        // Gone from the kernel (closed both ways, so TIME_WAIT at most): only the close can have moved its bytes.
        var deadline = Environment.TickCount64 + 10_000;
        while (Children.Capture("ss", "-Htn", "state", "established", $"( sport = :{localPort} )").Trim().Length > 0 && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(10);
        }

        var endpoint = Assert.Single(Collect(source).Endpoints, e => e.Pid == (uint)Environment.ProcessId && e.LocalPort == localPort);
        Assert.Equal((10_000ul, 20ul), (endpoint.TxBytes, endpoint.TxCalls));
    }

    [PrivilegedFact]
    public void Collect_ChildSendsManyCallsAndExits_FinalBytesExact()
    {
        using var source = Start();
        using var sink = new LoopbackSink();
        var script = "import os, socket\n"
            + $"s = socket.create_connection(('127.0.0.1', {sink.Port}))\n"
            + "for _ in range(50): s.send(b'x' * 100)\n"
            + "os._exit(0)\n";
        var pid = Children.Run("/usr/bin/python3", "-c", script);
        sink.WaitForBytes(5000);

        var (usages, endpoints) = Collect(source);
        var usage = Assert.Single(usages, u => u.Pid == (uint)pid);
        Assert.Equal((5000ul, 50ul), (usage.TxBytes, usage.TxCalls));
        var endpoint = Assert.Single(endpoints, e => e.Pid == (uint)pid);
        Assert.Equal((5000ul, 50ul), (endpoint.TxBytes, endpoint.TxCalls));
    }

    [PrivilegedFact]
    public void Collect_SocketUsedByParentAndChild_EachProcessItsOwnBytes()
    {
        using var source = Start();
        using var sink = new LoopbackSink();
        var script = "import os, socket\n"
            + $"s = socket.create_connection(('127.0.0.1', {sink.Port}))\n"
            + "for _ in range(10): s.send(b'p' * 100)\n"
            + "child = os.fork()\n"
            + "if child == 0:\n"
            + "    for _ in range(7): s.send(b'c' * 10)\n"
            + "    os._exit(0)\n"
            + "os.waitpid(child, 0)\n"
            + "for _ in range(3): s.send(b'p' * 1000)\n"
            + "print(os.getpid(), child, flush=True)\n";
        var pids = Children.Capture("/usr/bin/python3", "-c", script).Split(' ', StringSplitOptions.TrimEntries).Select(uint.Parse).ToArray();
        sink.WaitForBytes(4070);

        var usages = Collect(source).Usages;
        var parent = Assert.Single(usages, u => u.Pid == pids[0]);
        var child = Assert.Single(usages, u => u.Pid == pids[1]);
        Assert.Equal((4000ul, 13ul), (parent.TxBytes, parent.TxCalls));
        Assert.Equal((70ul, 7ul), (child.TxBytes, child.TxCalls));
    }

    private static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    private static uint LocalPort(Socket socket) => (uint)((IPEndPoint)socket.LocalEndPoint!).Port;
}
