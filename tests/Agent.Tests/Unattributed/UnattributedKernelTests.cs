using System.Diagnostics;
using FleetNet.Agent.Interfaces;
using FleetNet.Agent.Processes;
using FleetNet.Agent.Tests.Conntrack;
using FleetNet.Agent.Tests.Interop;
using FleetNet.Agent.Tests.Processes;
using FleetNet.Agent.Unattributed;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Tests.Unattributed;

/// <summary>
/// Unattributed bytes on the real kernel, in a network namespace of the test's own so that nothing else
/// moves bytes on its interfaces: the agent reads the namespace's /sys through a process living in it.
/// </summary>
[Collection(LibbpfCollection.Name)]
public sealed class UnattributedKernelTests
{
    private const int Frames = 200;
    private const int FrameBytes = 1000;
    private const int TcpBytes = 5000;

    [PrivilegedFact]
    public void Compute_RawFramesAndTcpInOwnNetns_FramesUnattributedTcpAttributed() =>
        InOwnNetns(new AgentOptions { BpfMapEntries = 4096 }, (netns, collect, _) =>
        {
            // One process: TCP over the namespace's loopback (socket payload, attributed) and raw Ethernet
            // frames on lo through a packet socket (no IP socket: interface bytes only).
            netns.Exec("python3", "-c", $$"""
                import socket
                server = socket.create_server(("127.0.0.1", 0))
                client = socket.create_connection(server.getsockname())
                peer, _ = server.accept()
                client.sendall(b"x" * {{TcpBytes}})
                got = 0
                while got < {{TcpBytes}}:
                    got += len(peer.recv(65536))
                raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
                raw.bind(("lo", 0))
                frame = bytes(12) + b"\x88\xb5" + b"r" * {{FrameBytes - 14}}
                for _ in range({{Frames}}):
                    raw.send(frame)
                """);

            var (balance, _) = collect();
            Assert.Equal(((ulong)TcpBytes, (ulong)TcpBytes), (balance.AttributedTxBytes, balance.AttributedRxBytes));
            // Every frame is one tx and one rx on lo, counted by lo without its 14-byte Ethernet header;
            // TCP adds its headers (a handful of segments) on top.
            const ulong raw = Frames * (FrameBytes - 14);
            Assert.InRange(balance.TxBytes, raw, raw + 2000);
            Assert.InRange(balance.RxBytes, raw, raw + 2000);
            Assert.Equal(balance.InterfaceTxBytes, balance.AttributedTxBytes + balance.TxBytes);
        });

    [PrivilegedFact]
    public void Collect_UsageMapFull_RefusalsCountedAndTheRefusedBytesUnattributed() =>
        InOwnNetns(new AgentOptions { BpfMapEntries = 8 }, (netns, collect, source) =>
        {
            // 30 processes (fork, no exec) each send 100 bytes; the map holds 8 entries, shared with the host.
            var output = netns.Exec("python3", "-c", """
                import os, socket
                server = socket.create_server(("127.0.0.1", 0), backlog=64)
                pids = []
                for _ in range(30):
                    pid = os.fork()
                    if pid == 0:
                        s = socket.create_connection(server.getsockname())
                        s.sendall(b"y" * 100)
                        os._exit(0)
                    pids.append(pid)
                    os.waitpid(pid, 0)
                print(" ".join(map(str, pids)))
                """);
            var children = Array.ConvertAll(output.Trim().Split(' '), uint.Parse);

            var (balance, processes) = collect();
            var attributed = processes.FindAll(p => Array.IndexOf(children, p.Pid) >= 0);
            Assert.True(source.MapFull > 0, "no refusal counted");
            Assert.InRange(attributed.Count, 0, 8);
            Assert.All(attributed, p => Assert.Equal(100ul, p.TxBytes));
            // What the map could not hold is not lost from the host's total: it is unattributed.
            Assert.True(balance.TxBytes >= (ulong)(children.Length - attributed.Count) * 100,
                $"unattributed tx {balance.TxBytes} < {children.Length - attributed.Count} x 100");
        });

    /// <summary>
    /// Runs <paramref name="body"/> with a fresh namespace, a BPF source and an interface collector reading
    /// the namespace's /sys; its collect function returns the balance and the usages of that namespace.
    /// </summary>
    private static void InOwnNetns(AgentOptions agentOptions, Action<TestNetns, Func<(UnattributedUsage, List<ProcessUsage>)>, BpfProcessTrafficSource> body)
    {
        PrivilegedFactAttribute.RequireRoot();
        using var netns = new TestNetns($"fnua-{Environment.ProcessId % 100000}");
        // `ip netns exec` mounts the namespace's own /sys in a private mount namespace; its root shows it.
        using var holder = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", netns.Name, "/bin/sleep", "60"]))!;
        try
        {
            var sysRoot = $"/proc/{holder.Id}/root/sys";
            WaitFor(() => File.Exists(Path.Combine(sysRoot, "class", "net", "lo", "ifindex")) && !Directory.Exists(Path.Combine(sysRoot, "class", "net", "eth0")));
            agentOptions.SysRoot = sysRoot;
            var options = Options.Create(agentOptions);
            var interfaces = new InterfaceCollector(options, NullLogger<InterfaceCollector>.Instance);
            using var source = TracepointScenarioTests.Start(agentOptions);
            var netnsInode = Children.Inode("/var/run/netns/" + netns.Name);
            var calculator = new UnattributedCalculator(options);
            Collect(interfaces, source, netnsInode); // baseline
            body(netns, () =>
            {
                var (lo, processes) = Collect(interfaces, source, netnsInode);
                return (calculator.Compute(lo, processes), processes);
            }, source);
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit(10_000);
        }
    }

    private static (List<InterfaceUsage> Interfaces, List<ProcessUsage> Processes) Collect(
        InterfaceCollector interfaces, BpfProcessTrafficSource source, ulong netnsInode)
    {
        var usage = new List<InterfaceUsage>();
        interfaces.Collect(usage);
        var processes = TracepointScenarioTests.Collect(source).Usages.FindAll(u => u.Netns == netnsInode);
        return (usage, processes);
    }

    private static void WaitFor(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the namespace's /sys did not show up");
            Thread.Sleep(20);
        }
    }
}
