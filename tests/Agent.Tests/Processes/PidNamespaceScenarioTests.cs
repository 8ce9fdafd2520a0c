using System.Diagnostics;
using FleetNet.Agent.Tests.Interop;

namespace FleetNet.Agent.Tests.Processes;

/// <summary>Real pid namespaces (unshare --pid --fork): a sender inside one, and an agent whose /proc belongs to one.</summary>
[Collection(LibbpfCollection.Name)]
public sealed class PidNamespaceScenarioTests
{
    [PrivilegedFact]
    public void Collect_SenderInItsOwnPidNamespace_AttributedToItsHostPidNotHidden()
    {
        using var source = TracepointScenarioTests.Start();
        using var sink = new LoopbackSink();
        // Inside, $$ is 1; the host /proc (no --mount-proc) names the same bash by its host pid.
        var script = "read -r hostpid _ < /proc/self/stat; echo $$ $hostpid; " + Children.SendTcp("127.0.0.1", sink.Port, 4321);
        var output = Children.Capture("unshare", "--pid", "--fork", "/bin/bash", "-c", script).Split(' ', StringSplitOptions.TrimEntries);
        Assert.Equal("1", output[0]);
        var hostPid = uint.Parse(output[1]);
        sink.WaitForBytes(4321);

        var usage = Assert.Single(TracepointScenarioTests.Collect(source).Usages, u => u.Pid == hostPid);
        Assert.Equal(4321ul, usage.TxBytes);
        Assert.False(usage.Hidden);
        Assert.Equal("/bin/bash", usage.Exe);
    }

    [PrivilegedFact]
    public void Collect_AgentsProcFromAnotherPidNamespace_HostSenderFlaggedHiddenWithExeAndBytes()
    {
        PrivilegedFactAttribute.RequireRoot();
        // A pid namespace with its own /proc mounted; its init's root shows that /proc, which lists only the namespace.
        using var holder = Process.Start(new ProcessStartInfo("unshare", ["--pid", "--fork", "--mount-proc", "/bin/sleep", "60"]))!;
        try
        {
            var init = WaitForChild(holder.Id);
            var procRoot = $"/proc/{init}/root/proc";
            Assert.True(File.Exists(Path.Combine(procRoot, "1", "stat")), "the namespace's /proc is not visible at " + procRoot);

            using var source = TracepointScenarioTests.Start(new AgentOptions { BpfMapEntries = 4096, ProcRoot = procRoot });
            using var sink = new LoopbackSink();
            using var child = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", Children.SendTcp("127.0.0.1", sink.Port, 888) + "; read -r done"])
            {
                RedirectStandardInput = true,
            })!;
            try
            {
                sink.WaitForBytes(888);
                var usage = Assert.Single(TracepointScenarioTests.Collect(source).Usages, u => u.Pid == (uint)child.Id);
                Assert.True(usage.Hidden, "a live process outside the agent's pid namespace is hidden from it");
                Assert.Equal("/bin/bash", usage.Exe); // from the exec record, /proc cannot tell
                Assert.Equal(888ul, usage.TxBytes);
            }
            finally
            {
                child.StandardInput.WriteLine();
                child.WaitForExit(10_000);
            }
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit(10_000);
        }
    }

    /// <summary>The host pid of the first child of <paramref name="parent"/> (unshare forks the namespace's init).</summary>
    private static int WaitForChild(int parent)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }

                string stat;
                try
                {
                    stat = File.ReadAllText(Path.Combine(dir, "stat"));
                }
                catch (IOException)
                {
                    continue;
                }

                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == parent)
                {
                    return pid;
                }
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException("unshare started no child");
    }
}
