using System.Net.Http.Json;
using System.Text.Json;
using FleetNet.Hub.Tests.Storage;

namespace FleetNet.EndToEnd.Tests;

/// <summary>
/// The real hub and the real agent as separate processes on this host, against the fixture's PostgreSQL.
/// The agent is the Native AOT binary named by FLEETNET_AGENT_BINARY (the test script publishes it), or
/// else the build output run by dotnet.
/// </summary>
internal sealed class FleetNetStack : IAsyncDisposable
{
    private readonly ChildProcess _hub;
    private readonly ChildProcess _agent;

    private FleetNetStack(ChildProcess hub, ChildProcess agent, string hostName, int restPort, int grpcPort)
    {
        _hub = hub;
        _agent = agent;
        HostName = hostName;
        Rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restPort}") };
        GrpcUrl = $"http://127.0.0.1:{grpcPort}";
    }

    public string HostName { get; }

    public HttpClient Rest { get; }

    public string GrpcUrl { get; }

    public string Logs => $"--- hub ---\n{_hub.Output}\n--- agent ---\n{_agent.Output}";

    public static async Task<FleetNetStack> StartAsync(PostgresFixture postgres)
    {
        int restPort = ChildProcess.FreePort(), grpcPort = ChildProcess.FreePort();
        var hub = ChildProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "fleetnet-hub.dll")], new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = postgres.ConnectionString,
            ["Kestrel__Endpoints__Rest__Url"] = $"http://127.0.0.1:{restPort}",
            ["Kestrel__Endpoints__Rest__Protocols"] = "Http1",
            ["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel__Endpoints__Grpc__Protocols"] = "Http2",
            ["Tls__Mode"] = "Off",
            // Open mode, explicitly: these tests measure bytes; enrollment and keys have their own tests.
            ["Security__RequireAgentIdentity"] = "false",
            ["Security__RequireApiKeys"] = "false",
        });

        var hostName = $"e2e-{Guid.NewGuid():N}"[..16];
        var agentEnvironment = new Dictionary<string, string>
        {
            ["FLEETNET_HUBURL"] = $"http://127.0.0.1:{grpcPort}",
            ["FLEETNET_INTERVALSECONDS"] = "1",
            ["FLEETNET_HOSTNAME"] = hostName,
            ["FLEETNET_LABELS__ROLE"] = "e2e",
        };
        var binary = Environment.GetEnvironmentVariable("FLEETNET_AGENT_BINARY");
        var agent = string.IsNullOrEmpty(binary)
            ? ChildProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "fleetnet-agent.dll")], agentEnvironment)
            : ChildProcess.Start(binary, [], agentEnvironment);

        var stack = new FleetNetStack(hub, agent, hostName, restPort, grpcPort);
        await stack.WaitForHostAsync();
        return stack;
    }

    /// <summary>Polls the top-processes API (bounded) until <paramref name="done"/> holds for the item of <paramref name="pid"/>.</summary>
    public async Task<JsonElement> WaitForProcessAsync(int pid, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var top = await Rest.GetFromJsonAsync<JsonElement>($"/api/v1/top/processes?window=10m&limit=1000&host={HostName}");
            last = top.GetProperty("items").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(i => i!.Value.GetProperty("pid").GetInt32() == pid);
            if (last is { } item && done(item))
            {
                return item;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"pid {pid} did not reach the expected state within {timeout}; last seen: {last}\n{Logs}");
    }

    private async Task WaitForHostAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_hub.HasExited, $"the hub exited:\n{Logs}");
            Assert.False(_agent.HasExited, $"the agent exited:\n{Logs}");
            try
            {
                var hosts = await Rest.GetFromJsonAsync<JsonElement>("/api/v1/hosts");
                if (hosts.EnumerateArray().Any(h => h.GetProperty("name").GetString() == HostName))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // The hub is still starting.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"the agent's host did not appear within 90 s:\n{Logs}");
    }

    public async ValueTask DisposeAsync()
    {
        Rest.Dispose();
        await _agent.DisposeAsync();
        await _hub.DisposeAsync();
    }
}
