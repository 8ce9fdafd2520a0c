using System.Net.Http.Json;
using System.Text.Json;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Hub.Tests.Tls;

namespace FleetNet.EndToEnd.Tests;

/// <summary>
/// The real hub and the real agent as separate processes on this host, against the fixture's PostgreSQL.
/// The agent is the Native AOT binary named by FLEETNET_AGENT_BINARY (the test script publishes it), or
/// else the build output run by dotnet.
/// </summary>
internal sealed class FleetNetStack : IAsyncDisposable
{
    private readonly IAsyncDisposable _hub;
    private readonly Func<string> _hubLog;
    private readonly ChildProcess _agent;
    private readonly string? _agentState;

    private FleetNetStack(IAsyncDisposable hub, Func<string> hubLog, ChildProcess agent, string hostName, HttpClient rest, string grpcUrl, string? agentState = null)
    {
        _agentState = agentState;
        _hub = hub;
        _hubLog = hubLog;
        _agent = agent;
        HostName = hostName;
        Rest = rest;
        GrpcUrl = grpcUrl;
    }

    public string HostName { get; }

    public HttpClient Rest { get; }

    public string GrpcUrl { get; }

    public string Logs => $"--- hub ---\n{_hubLog()}\n--- agent ---\n{_agent.Output}";

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
        // The agent's secret and spool in a directory of its own, never the defaults under /var/lib: a secret or
        // unacked batches left there by the quick start or another run must not reach this hub.
        var agentState = Directory.CreateTempSubdirectory("fleetnet-e2e-agent-").FullName;
        var agent = StartAgent($"http://127.0.0.1:{grpcPort}", hostName, new Dictionary<string, string>
        {
            ["FLEETNET_CREDENTIALSFILE"] = Path.Combine(agentState, "agent.secret"),
            ["FLEETNET_SPOOLDIRECTORY"] = Path.Combine(agentState, "spool"),
        });
        return await ReadyOrDisposedAsync(new FleetNetStack(hub, () => hub.Output, agent, hostName, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{restPort}") }, $"http://127.0.0.1:{grpcPort}", agentState));
    }

    /// <summary>
    /// The hub secured as the quick start runs it: TLS generated in <paramref name="stateDirectory"/>, agent
    /// identities and API keys required. The agent enrolls with a token over https trusting the generated
    /// CA; the REST client trusts the CA and carries an admin key.
    /// </summary>
    /// <param name="caFromToken">Give the agent no FLEETNET_HUBCA: it learns the CA through the fingerprint the token carries.</param>
    public static async Task<FleetNetStack> StartSecureAsync(PostgresFixture postgres, string stateDirectory, bool caFromToken = false)
    {
        var hub = new TlsHubProcess(postgres.ConnectionString, Path.Combine(stateDirectory, "tls", "ca.pem"), ("Tls__Directory", Path.Combine(stateDirectory, "tls")));
        string key, hostName;
        ChildProcess agent;
        try
        {
            await hub.StartAsync();
            key = await hub.CommandAsync("create-api-key", "--role", "admin");
            var token = await hub.CommandAsync("create-enrollment-token", "--uses", "1");
            hostName = $"e2e-{Guid.NewGuid():N}"[..16];
            agent = StartAgent(hub.GrpcUrl, hostName, new Dictionary<string, string>
            {
                ["FLEETNET_HUBCA"] = caFromToken ? "" : hub.CaPath,
                ["FLEETNET_ENROLLMENTTOKEN"] = token,
                ["FLEETNET_CREDENTIALSFILE"] = Path.Combine(stateDirectory, "agent.secret"),
                ["FLEETNET_SPOOLDIRECTORY"] = Path.Combine(stateDirectory, "spool"),
            });
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }

        return await ReadyOrDisposedAsync(new FleetNetStack(hub, () => hub.Log, agent, hostName, hub.Rest(key), hub.GrpcUrl));
    }

    /// <summary>Waits for the agent's host to reach the hub; a stack that never gets there stops its hub and agent.</summary>
    private static async Task<FleetNetStack> ReadyOrDisposedAsync(FleetNetStack stack)
    {
        try
        {
            await stack.WaitForHostAsync();
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    internal static ChildProcess StartAgent(string hubUrl, string hostName, Dictionary<string, string> security)
    {
        var environment = new Dictionary<string, string>(security)
        {
            ["FLEETNET_HUBURL"] = hubUrl,
            ["FLEETNET_INTERVALSECONDS"] = "1",
            ["FLEETNET_HOSTNAME"] = hostName,
            ["FLEETNET_LABELS__ROLE"] = "e2e",
        };
        var binary = Environment.GetEnvironmentVariable("FLEETNET_AGENT_BINARY");
        return string.IsNullOrEmpty(binary)
            ? ChildProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "fleetnet-agent.dll")], environment)
            : ChildProcess.Start(binary, [], environment);
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
        if (_agentState is not null)
        {
            Directory.Delete(_agentState, recursive: true);
        }
    }
}
