using FleetNet.Hub.Tests.Hosting;

namespace FleetNet.FaultTests;

/// <summary>
/// The real hub (<c>fleetnet-hub.dll</c>) as a child process on fixed ports, so it can be killed with
/// SIGKILL and started again at the same address; agent identities and API keys required.
/// </summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private readonly HubChildProcess _hub;

    public HubProcess(string connectionString, params (string Key, string Value)[] settings)
    {
        RestPort = HubChildProcess.FreePort();
        GrpcPort = HubChildProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = connectionString,
            ["Kestrel__Endpoints__Rest__Url"] = $"http://127.0.0.1:{RestPort}",
            ["Kestrel__Endpoints__Rest__Protocols"] = "Http1",
            ["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{GrpcPort}",
            ["Kestrel__Endpoints__Grpc__Protocols"] = "Http2",
            ["Tls__Mode"] = "Off",
            ["Security__RequireAgentIdentity"] = "true",
            ["Security__RequireApiKeys"] = "true",
            ["Security__RevocationCheckInterval"] = "00:00:01",
            ["Security__AgentBatchesPerSecond"] = "1000",
            ["Security__AgentBatchBurst"] = "1000",
            ["Ingest__MaxMessageBytes"] = "1048576",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        _hub = new HubChildProcess(environment);
    }

    public int RestPort { get; }

    public int GrpcPort { get; }

    public string GrpcUrl => $"http://127.0.0.1:{GrpcPort}";

    public string Log => _hub.Log;

    /// <summary>Runs a one-shot hub command (create-api-key, create-enrollment-token); returns what it printed on stdout.</summary>
    public Task<string> RunCommandAsync(params string[] arguments) => _hub.CommandAsync(arguments);

    /// <summary>Starts the hub and waits (bounded) until its health check answers.</summary>
    public Task StartAsync() => _hub.StartAsync(async () =>
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        return (await http.GetAsync($"http://127.0.0.1:{RestPort}/healthz")).IsSuccessStatusCode;
    }, TimeSpan.FromSeconds(60));

    /// <summary>SIGKILL: no graceful shutdown, open streams cut mid-batch.</summary>
    public Task KillAsync() => _hub.KillAsync();

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}
