using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FleetNet.Agent.Pipeline;
using FleetNet.Agent.Spool;
using FleetNet.Agent.Tests.Pipeline;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetNet.Agent.Tests.Spool;

/// <summary>
/// The real agent binary (the apphost built next to these tests) spooling while its hub is down, killed
/// with SIGKILL, and its spool replayed afterwards.
/// </summary>
public sealed class SpoolKillTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Kill9_AgentSpoolingWhileHubIsDown_RestartReplaysEveryBatchWrittenBeforeTheKill()
    {
        var spoolDirectory = Path.Combine(_directory.Path, "spool");
        using var agent = StartAgent(spoolDirectory, DeadHubUrl());
        var seen = await WaitForRecordsAsync(spoolDirectory, atLeast: 3, agent);

        agent.Kill(entireProcessTree: true);
        await agent.WaitForExitAsync(TestTimeout.Token);

        // Reopen as the restarted agent would: everything intact before the kill, in order, one epoch.
        using var outbox = new Outbox(10_000, BatchSpool.Open(spoolDirectory, 1 << 30, 1 << 20, fsync: true, NullLogger.Instance), NullLogger.Instance);
        var held = TestBatches.Drain(outbox).ConvertAll(TestBatches.Decode);
        Assert.True(held.Count >= seen, $"{held.Count} batches recovered, {seen} were on disk before the kill");
        Assert.Single(held.Select(b => b.Epoch).Distinct());
        Assert.Equal(Enumerable.Range(1, held.Count).Select(i => (ulong)i), held.Select(b => b.Seq));
        Assert.All(held, b => Assert.Equal((ulong)b.Seq, b.Counters.BatchesSent));

        // And a hub that is back stores all of them exactly once.
        await using var hub = await TestIngestHub.StartAsync();
        var epoch = held[0].Epoch;
        using var client = new HubClient(
            Microsoft.Extensions.Options.Options.Create(new AgentOptions { HubUrl = hub.Url }),
            new FleetNet.Agent.Hosting.HostIdentity("web-01", "machine", "boot", "6.8.0", "1.2.3"),
            new FleetNet.Agent.Hosting.ProcessSourceHolder(null),
            new AgentEpoch(epoch + 1),
            outbox,
            new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), new ZeroRandom()),
            new HubStatistics(),
            TimeProvider.System,
            NullLogger<HubClient>.Instance);
        await client.StartAsync(TestTimeout.Token);
        await outbox.WaitEmptyAsync(TestTimeout.Token);
        await client.StopAsync(TestTimeout.Token);

        Assert.Equal(held.Select(b => (b.Epoch, b.Seq)), hub.State.Stores.Keys.Order());
    }

    private static Process StartAgent(string spoolDirectory, string hubUrl)
    {
        var start = new ProcessStartInfo(AgentBinary())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["FLEETNET_HUBURL"] = hubUrl;
        start.Environment["FLEETNET_INTERVALSECONDS"] = "1";
        start.Environment["FLEETNET_SPOOLDIRECTORY"] = spoolDirectory;
        start.Environment["FLEETNET_HOSTNAME"] = "spool-kill-test";
        start.Environment["FLEETNET_FIDELITY"] = "interfaces_only";
        start.Environment["FLEETNET_CONNTRACKENABLED"] = "false";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the agent");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The Native AOT agent the test script published (FLEETNET_AGENT_BINARY), else the agent project's own build.</summary>
    private static string AgentBinary()
    {
        if (Environment.GetEnvironmentVariable("FLEETNET_AGENT_BINARY") is { Length: > 0 } published)
        {
            return published;
        }

        // tests/Agent.Tests/bin/<Configuration>/<tfm>/ → src/Agent/bin/<Configuration>/<tfm>/fleetnet-agent
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var repository = output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(repository, "src", "Agent", "bin", output.Parent.Name, output.Name, "fleetnet-agent");
    }

    /// <summary>Polls the spool (bounded) until it holds <paramref name="atLeast"/> intact records.</summary>
    private static async Task<int> WaitForRecordsAsync(string spoolDirectory, int atLeast, Process agent)
    {
        var token = TestTimeout.Token;
        while (true)
        {
            Assert.False(agent.HasExited, $"the agent exited with code {(agent.HasExited ? agent.ExitCode : 0)}");
            var records = 0;
            if (Directory.Exists(spoolDirectory))
            {
                foreach (var segment in Directory.GetFiles(spoolDirectory, "*.seg"))
                {
                    records += SpoolSegmentScan.Scan(1, await ReadSharedAsync(segment)).Records.Count;
                }
            }

            if (records >= atLeast)
            {
                return records;
            }

            await Task.Delay(100, token);
        }
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>A loopback port nothing listens on: bound and closed again.</summary>
    private static string DeadHubUrl()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return $"http://127.0.0.1:{((IPEndPoint)socket.LocalEndPoint!).Port}";
    }
}
