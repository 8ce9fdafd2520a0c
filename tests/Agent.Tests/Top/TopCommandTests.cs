using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using FleetNet.Agent.Hosting;
using FleetNet.Agent.Tests.Processes;
using FleetNet.Agent.Top;

namespace FleetNet.Agent.Tests.Top;

public sealed class TopCommandTests
{
    [Theory]
    [InlineData(new[] { "top" }, false, false, 2.0, 20)]
    [InlineData(new[] { "top", "--once", "--json", "--interval", "0.5", "--limit", "5" }, true, true, 0.5, 5)]
    public void Parse_TopArguments_TopOptions(string[] args, bool once, bool json, double interval, int limit)
    {
        var command = AgentCommandLine.Parse(args, TextWriter.Null, TextWriter.Null);

        Assert.Null(command.ExitCode);
        Assert.Equal(new TopOptions(once, json, interval, limit), command.Top);
    }

    [Theory]
    [InlineData("--interval", "0")]
    [InlineData("--limit", "x")]
    [InlineData("--bogus", "1")]
    public void Parse_BadTopArgument_ExitCode2(string name, string value)
    {
        var error = new StringWriter();

        var command = AgentCommandLine.Parse(["top", name, value], TextWriter.Null, error);

        Assert.Equal(AgentExitCodes.BadConfiguration, command.ExitCode);
        Assert.Contains(name, error.ToString());
    }

    /// <summary>The real binary on the real kernel: a bash child streams 1000-byte writes to a listener here.</summary>
    [PrivilegedFact]
    public void Run_OnceJson_ShowsTheTrafficChildWithItsBytes()
    {
        PrivilegedFactAttribute.RequireRoot();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var script = $"exec 3<>/dev/tcp/127.0.0.1/{port}; while read -r line; do printf '%*s' 1000 '' >&3; done";
        using var child = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", script]) { RedirectStandardInput = true })!;
        using var server = listener.AcceptTcpClient();
        var drain = Task.Run(() => server.GetStream().CopyTo(Stream.Null));
        string[] topArgs = ["top", "--once", "--json", "--interval", "2", "--limit", "1000"];
        var binary = Environment.GetEnvironmentVariable("FLEETNET_AGENT_BINARY");
        var info = new ProcessStartInfo(string.IsNullOrEmpty(binary) ? "dotnet" : binary, string.IsNullOrEmpty(binary) ? [AgentDll(), .. topArgs] : topArgs)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["FLEETNET_CONNTRACKENABLED"] = "false";
        using var agent = Process.Start(info)!;
        try
        {
            var output = agent.StandardOutput.ReadToEndAsync();
            var errors = agent.StandardError.ReadToEndAsync();
            // Feed the child until the agent has printed its one interval (bounded: 60 s).
            var deadline = Stopwatch.StartNew();
            while (!agent.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                child.StandardInput.WriteLine();
                child.StandardInput.Flush();
                Thread.Yield();
            }

            Assert.True(agent.WaitForExit(10_000), "top --once did not exit");
            Assert.True(agent.ExitCode == 0, "exit " + agent.ExitCode + ": " + errors.Result);
            var lines = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var json = Assert.Single(lines);
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            Assert.True(root.GetProperty("seconds").GetDouble() >= 1.5);
            Assert.Equal("BtfTracepoint", root.GetProperty("fidelity").GetString());
            var row = root.GetProperty("processes").EnumerateArray().Single(p => p.GetProperty("pid").GetUInt32() == (uint)child.Id);
            Assert.Equal("bash", row.GetProperty("comm").GetString());
            Assert.EndsWith("/bash", row.GetProperty("exe").GetString());
            var tx = row.GetProperty("txBytes").GetUInt64();
            Assert.True(tx >= 1000 && tx % 1000 == 0, "tx " + tx);
            Assert.Equal(tx, row.GetProperty("tcpBytes").GetUInt64() - row.GetProperty("rxBytes").GetUInt64());
            Assert.Equal(tx / root.GetProperty("seconds").GetDouble(), row.GetProperty("txBytesPerSecond").GetDouble(), 3);
            Assert.StartsWith("/", row.GetProperty("cgroup").GetString());
            Assert.Contains(root.GetProperty("containers").EnumerateArray(), c => c.GetProperty("cgroup").GetString() == row.GetProperty("cgroup").GetString());
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill();
            }

            child.StandardInput.Close();
            if (!child.WaitForExit(10_000))
            {
                child.Kill();
            }
        }
    }

    /// <summary>The agent's own build output (its runtimeconfig and deps, not the test host's).</summary>
    private static string AgentDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var configuration = testBin.Parent!.Name;
        var repo = testBin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(repo, "src", "Agent", "bin", configuration, testBin.Name, "fleetnet-agent.dll");
    }
}
