using System.Net;
using FleetNet.Agent.Tests.Interop;

namespace FleetNet.Agent.Tests.Processes;

/// <summary>Traffic of a process in its own network namespace or cgroup, attributed to it on the real kernel.</summary>
[Collection(LibbpfCollection.Name)]
public sealed class NamespaceScenarioTests
{
    [PrivilegedFact]
    public void Collect_ProcessInOwnNetnsBehindVeth_AttributedWithItsNetns()
    {
        PrivilegedFactAttribute.RequireRoot();
        var tag = (Environment.ProcessId % 100_000).ToString();
        var ns = "fntest" + tag;
        var hostSide = "fnv" + tag + "a";
        var nsSide = "fnv" + tag + "b";
        try
        {
            Children.Capture("ip", "netns", "add", ns);
            Children.Capture("ip", "link", "add", hostSide, "type", "veth", "peer", "name", nsSide);
            Children.Capture("ip", "link", "set", nsSide, "netns", ns);
            Children.Capture("ip", "addr", "add", "198.18.77.1/30", "dev", hostSide);
            Children.Capture("ip", "link", "set", hostSide, "up");
            Children.Capture("ip", "netns", "exec", ns, "ip", "addr", "add", "198.18.77.2/30", "dev", nsSide);
            Children.Capture("ip", "netns", "exec", ns, "ip", "link", "set", nsSide, "up");
            Children.Capture("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            var netns = Children.Inode("/run/netns/" + ns);

            using var source = TracepointScenarioTests.Start();
            using var sink = new LoopbackSink(address: IPAddress.Parse("198.18.77.1"));
            // ip netns exec execs bash in place: the pid that sends is the child's.
            var pid = Children.Run("ip", "netns", "exec", ns, "/bin/bash", "-c", Children.SendTcp("198.18.77.1", sink.Port, 5555));
            sink.WaitForBytes(5555);

            var (usages, endpoints) = TracepointScenarioTests.Collect(source);
            var usage = Assert.Single(usages, u => u.Pid == (uint)pid);
            Assert.Equal(5555ul, usage.TxBytes);
            Assert.Equal(netns, usage.Netns);
            Assert.Equal("/bin/bash", usage.Exe);
            var endpoint = Assert.Single(endpoints, e => e.Pid == (uint)pid);
            Assert.Equal(new byte[] { 198, 18, 77, 1 }, endpoint.RemoteAddress);
            Assert.Equal(netns, endpoint.Netns);
            Assert.NotEqual(Children.Inode("/proc/self/ns/net"), netns);
        }
        finally
        {
            TryRun("ip", "link", "del", hostSide);
            TryRun("ip", "netns", "del", ns);
        }
    }

    [PrivilegedFact]
    public void Collect_ProcessInCgroup_SamplesCarryThatCgroupId()
    {
        using var cgroup = new TestCgroup();
        using (var source = TracepointScenarioTests.Start())
        using (var sink = new LoopbackSink())
        {
            var pid = Children.Run("/bin/bash", "-c", cgroup.Enter + Children.SendTcp("127.0.0.1", sink.Port, 3210));
            sink.WaitForBytes(3210);

            var usage = Assert.Single(TracepointScenarioTests.Collect(source).Usages, u => u.Pid == (uint)pid);
            Assert.Equal(cgroup.Id, usage.CgroupId);
            Assert.Equal(3210ul, usage.TxBytes);
        }
    }

    private static void TryRun(string file, params string[] args)
    {
        using var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        child.StandardError.ReadToEnd();
        child.WaitForExit();
    }
}
