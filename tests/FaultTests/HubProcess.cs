using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FleetNet.FaultTests;

/// <summary>
/// The real hub (<c>fleetnet-hub.dll</c>) as a child process on fixed ports, so it can be killed with
/// SIGKILL and started again at the same address; agent identities and API keys required.
/// </summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public HubProcess(string connectionString, params (string Key, string Value)[] settings)
    {
        RestPort = FreePort();
        GrpcPort = FreePort();
        _environment = new Dictionary<string, string>
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
            _environment[key] = value;
        }
    }

    public int RestPort { get; }

    public int GrpcPort { get; }

    public string GrpcUrl => $"http://127.0.0.1:{GrpcPort}";

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Runs a one-shot hub command (create-api-key, create-enrollment-token); returns what it printed on stdout.</summary>
    public async Task<string> RunCommandAsync(params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"fleetnet-hub {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
        return (await stdout).Trim();
    }

    /// <summary>Starts the hub and waits (bounded) until its health check answers.</summary>
    public async Task StartAsync()
    {
        _process = Process.Start(StartInfo([]))!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"the hub exited:\n{Log}");
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{RestPort}/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the hub did not become healthy within 60 s:\n{Log}");
    }

    /// <summary>SIGKILL: no graceful shutdown, open streams cut mid-batch.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    private ProcessStartInfo StartInfo(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fleetnet-hub.dll"));
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}
