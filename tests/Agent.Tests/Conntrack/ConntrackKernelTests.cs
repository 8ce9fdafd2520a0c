using System.Net;
using System.Net.Sockets;
using FleetNet.Agent.Conntrack;
using FleetNet.Agent.Tests.Processes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Tests.Conntrack;

/// <summary>
/// Real conntrack: two network namespaces joined by a veth (198.19.33.0/24), nft DNAT 8080 → 9090 in the
/// server's namespace, and the collector reading that namespace's table over ctnetlink.
/// </summary>
public sealed class ConntrackKernelTests
{
    private const int UpBytes = 50_000;
    private const int DownBytes = 20_000;

    [PrivilegedFact]
    public void Collect_DnatConnectionInNetns_OriginalAndReplyTuplesWithByteCounts()
    {
        PrivilegedFactAttribute.RequireRoot();
        var tag = Environment.ProcessId % 100_000;
        using var client = new TestNetns($"fnct-c{tag}");
        using var server = new TestNetns($"fnct-s{tag}");
        TestNetns.Ip("link", "add", $"fnctc{tag}", "type", "veth", "peer", "name", $"fncts{tag}");
        TestNetns.Ip("link", "set", $"fnctc{tag}", "netns", client.Name);
        TestNetns.Ip("link", "set", $"fncts{tag}", "netns", server.Name);
        TestNetns.Ip("-n", client.Name, "addr", "add", "198.19.33.2/24", "dev", $"fnctc{tag}");
        TestNetns.Ip("-n", server.Name, "addr", "add", "198.19.33.1/24", "dev", $"fncts{tag}");
        TestNetns.Ip("-n", client.Name, "link", "set", $"fnctc{tag}", "up");
        TestNetns.Ip("-n", server.Name, "link", "set", $"fncts{tag}", "up");
        server.ExecWithInput("""
            table ip fleetnet_test {
              chain pre {
                type nat hook prerouting priority dstnat;
                tcp dport 8080 dnat to 198.19.33.1:9090
              }
            }
            """, "nft", "-f", "-");

        var proc = Directory.CreateTempSubdirectory("fleetnet-ct-proc-").FullName;
        try
        {
            // The table files of the server's namespace, as the agent would see them from inside it.
            var netfilter = Directory.CreateDirectory(Path.Combine(proc, "sys", "net", "netfilter")).FullName;
            server.Exec("sysctl", "-qw", "net.netfilter.nf_conntrack_acct=1");
            using var collector = new ConntrackCollector(
                Options.Create(new AgentOptions { ProcRoot = proc }), NullLogger<ConntrackCollector>.Instance);
            collector.UseSocketFactory(() => server.Run(() => ConntrackDumper.TryOpen(out var s, out _) ? s : null));
            CopyTable(server, netfilter);
            Assert.True(collector.Collect().Available); // baseline

            using var listener = server.Run(() =>
            {
                var l = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                l.Bind(new IPEndPoint(IPAddress.Parse("198.19.33.1"), 9090));
                l.Listen();
                return l;
            });
            using var connection = client.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            connection.Connect(new IPEndPoint(IPAddress.Parse("198.19.33.1"), 8080));
            var localPort = ((IPEndPoint)connection.LocalEndPoint!).Port;
            using (var accepted = listener.Accept())
            {
                connection.Send(new byte[UpBytes]);
                ReceiveExactly(accepted, UpBytes);
                accepted.Send(new byte[DownBytes]);
                ReceiveExactly(connection, DownBytes);
            }

            CopyTable(server, netfilter);
            var snapshot = collector.Collect();

            Assert.True(snapshot.Available, snapshot.Reason);
            Assert.True(snapshot.Accounting);
            Assert.True(snapshot.Entries >= 1 && snapshot.MaxEntries > 0);
            var flow = Assert.Single(snapshot.Flows, f => f.Entry.OrigSrcPort == localPort);
            var e = flow.Entry;
            Assert.Equal(6, e.Protocol);
            Assert.Equal(IPAddress.Parse("198.19.33.2"), new IPAddress(e.OrigSrc));
            Assert.Equal(IPAddress.Parse("198.19.33.1"), new IPAddress(e.OrigDst));
            Assert.Equal(8080, e.OrigDstPort);
            Assert.Equal(9090, e.ReplySrcPort); // the NAT is visible: the reply comes from the real port
            Assert.Equal(localPort, e.ReplyDstPort);
            // IP bytes: the payload plus at least 40 bytes of headers per packet, and no more than a few KiB of them.
            Assert.InRange(flow.OrigBytes, (ulong)UpBytes + flow.OrigPackets * 40, (ulong)UpBytes + 200 * 60);
            Assert.InRange(flow.ReplyBytes, (ulong)DownBytes + flow.ReplyPackets * 40, (ulong)DownBytes + 200 * 60);
        }
        finally
        {
            Directory.Delete(proc, recursive: true);
        }
    }

    private static void CopyTable(TestNetns ns, string into)
    {
        foreach (var name in (string[])["nf_conntrack_count", "nf_conntrack_max", "nf_conntrack_acct"])
        {
            File.WriteAllText(Path.Combine(into, name), ns.Exec("cat", "/proc/sys/net/netfilter/" + name));
        }
    }

    private static void ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[65536];
        for (var total = 0; total < count;)
        {
            var read = socket.Receive(buffer, Math.Min(buffer.Length, count - total), SocketFlags.None);
            Assert.True(read > 0, "connection closed early");
            total += read;
        }
    }
}
