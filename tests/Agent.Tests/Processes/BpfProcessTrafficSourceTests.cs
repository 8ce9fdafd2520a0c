using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FleetNet.Agent.Processes;
using FleetNet.Agent.Tests.Interop;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetNet.Agent.Tests.Processes;

/// <summary>Loads the real programs into this kernel and checks counts against traffic made here.</summary>
[Collection(LibbpfCollection.Name)]
public sealed class BpfProcessTrafficSourceTests
{
    private const int ChildTxBytes = 70_000;
    private const int ChildRxBytes = 30_000;

    [PrivilegedFact]
    public void Collect_ChildTcpExchange_ExactBytesOnceThenEntryRemovedAfterExit()
    {
        using var source = Start();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        // bash itself does the socket I/O (builtins only), then waits on stdin so /proc is readable at Collect.
        var script = $"exec 3<>/dev/tcp/127.0.0.1/{port}; printf '%*s' {ChildTxBytes} '' >&3; "
            + $"read -r -N {ChildRxBytes} -u 3 reply; exec 3>&-; read -r done";
        using var child = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", script]) { RedirectStandardInput = true })!;
        try
        {
            using (var server = listener.AcceptTcpClient())
            {
                var stream = server.GetStream();
                stream.ReadExactly(new byte[ChildTxBytes]);
                stream.Write(Spaces(ChildRxBytes)); // spaces: bash's read drops NUL bytes
                Assert.Equal(0, stream.Read(new byte[1])); // the child closed its end: all its I/O is done
            }

            var first = CollectFor(source, (uint)child.Id);
            var usage = Assert.Single(first);
            Assert.Equal(IpProtocol.Tcp, usage.Protocol);
            Assert.Equal((ulong)ChildTxBytes, usage.TxBytes);
            Assert.Equal((ulong)ChildRxBytes, usage.RxBytes);
            Assert.True(usage.TxCalls > 0 && usage.RxCalls > 0);
            Assert.Equal("bash", usage.Comm);
            Assert.EndsWith("/bin/bash", usage.Exe);
            Assert.True(File.Exists(usage.Exe));
            Assert.Contains($"/dev/tcp/127.0.0.1/{port}", usage.Cmdline);
            Assert.StartsWith("/", usage.Cgroup);
            Assert.Equal(0u, usage.Uid);
            var startMs = new DateTimeOffset(child.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
            Assert.InRange(usage.StartUnixMs, startMs - 2000, startMs + 2000);

            Assert.Empty(CollectFor(source, (uint)child.Id)); // deltas: nothing new, nothing repeated
            Assert.True(HasEntry(source, (uint)child.Id), "a live idle process keeps its entry");

            child.StandardInput.WriteLine();
            Assert.True(child.WaitForExit(10_000));
            Assert.Empty(CollectFor(source, (uint)child.Id));
            Assert.False(HasEntry(source, (uint)child.Id), "the exited process's entry is still in the map");
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    [PrivilegedFact]
    public void Collect_OwnUdpExchange_ExactBytesAndCallsWithoutPeek()
    {
        using var source = Start();
        using var a = Bound();
        using var b = Bound();
        source.Collect([]); // baseline: whatever this process sent before
        int[] sizes = [1000, 2000, 3000];
        foreach (var size in sizes)
        {
            a.SendTo(new byte[size], b.LocalEndPoint!);
        }

        var buffer = new byte[65_536];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        Assert.Equal(1000, b.ReceiveFrom(buffer, SocketFlags.Peek, ref from)); // not counted: the data stays queued
        foreach (var size in sizes)
        {
            Assert.Equal(size, b.ReceiveFrom(buffer, ref from));
        }

        b.SendTo(new byte[500], a.LocalEndPoint!);
        Assert.Equal(500, a.ReceiveFrom(buffer, ref from));

        var udp = new List<ProcessUsage>();
        foreach (var usage in CollectFor(source, (uint)Environment.ProcessId))
        {
            if (usage.Protocol == IpProtocol.Udp)
            {
                udp.Add(usage);
            }
        }

        var mine = Assert.Single(udp);
        Assert.Equal((6500ul, 6500ul, 4ul, 4ul), (mine.TxBytes, mine.RxBytes, mine.TxCalls, mine.RxCalls));
        Assert.Equal(File.ReadAllText("/proc/self/comm").TrimEnd('\n'), mine.Comm);
        Assert.Equal(new FileInfo("/proc/self/exe").LinkTarget, mine.Exe);
        Assert.Equal(0ul, source.MapFull);
    }

    [Fact]
    public void TryStart_NoKernelBtf_ReturnsFalseWithOneLineReason()
    {
        var empty = Directory.CreateTempSubdirectory("fleetnet-sys-").FullName;
        try
        {
            var options = new AgentOptions { SysRoot = empty };
            Assert.False(BpfProcessTrafficSource.TryStart(options, NullLoggerFactory.Instance, out var source, out var reason));
            Assert.Null(source);
            Assert.Contains(PrivilegedFactAttribute.IsRoot ? "BTF missing" : "not root", reason);
            Assert.DoesNotContain('\n', reason);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    private static BpfProcessTrafficSource Start()
    {
        PrivilegedFactAttribute.RequireRoot();
        var started = BpfProcessTrafficSource.TryStart(new AgentOptions { BpfMapEntries = 4096 }, NullLoggerFactory.Instance, out var source, out var reason);
        Assert.True(started, "TryStart failed: " + reason);
        return (BpfProcessTrafficSource)source!;
    }

    private static List<ProcessUsage> CollectFor(BpfProcessTrafficSource source, uint pid)
    {
        var all = new List<ProcessUsage>();
        source.Collect(all);
        return all.FindAll(u => u.Pid == pid);
    }

    private static bool HasEntry(BpfProcessTrafficSource source, uint pid)
    {
        Assert.Equal(0, source.Map.Snapshot());
        foreach (var key in source.Map.Keys)
        {
            if (key.Tgid == pid)
            {
                return true;
            }
        }

        return false;
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static byte[] Spaces(int count)
    {
        var bytes = new byte[count];
        bytes.AsSpan().Fill((byte)' ');
        return bytes;
    }
}
