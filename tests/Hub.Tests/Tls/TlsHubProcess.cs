using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Grpc.Net.Client;

namespace FleetNet.Hub.Tests.Tls;

/// <summary>
/// The real hub (<c>fleetnet-hub.dll</c>) as a child process serving https on two free loopback ports,
/// with agent identities and API keys required, and clients that trust (or do not trust) its CA.
/// </summary>
public sealed class TlsHubProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _log = new();
    private Process? _process;

    /// <param name="caPath">The CA file clients trust (in Generate mode: <c>Tls:Directory/ca.pem</c>, there once the hub started).</param>
    public TlsHubProcess(string connectionString, string caPath, params (string Key, string Value)[] settings)
    {
        CaPath = caPath;
        RestPort = FreePort();
        GrpcPort = FreePort();
        _environment = new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = connectionString,
            ["Kestrel__Endpoints__Rest__Url"] = $"https://127.0.0.1:{RestPort}",
            ["Kestrel__Endpoints__Rest__Protocols"] = "Http1",
            ["Kestrel__Endpoints__Grpc__Url"] = $"https://127.0.0.1:{GrpcPort}",
            ["Kestrel__Endpoints__Grpc__Protocols"] = "Http2",
            ["Jobs__Enabled"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            _environment[key] = value;
        }
    }

    public string CaPath { get; }

    public int RestPort { get; }

    public int GrpcPort { get; }

    public string RestUrl => $"https://127.0.0.1:{RestPort}";

    public string GrpcUrl => $"https://127.0.0.1:{GrpcPort}";

    public IReadOnlyDictionary<string, string> Environment => _environment;

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

    /// <summary>Starts the hub and waits (bounded) until /healthz answers over https to a client trusting the CA.</summary>
    public async Task StartAsync()
    {
        _process = Process.Start(StartInfo([]))!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"the hub exited:\n{Log}");
            if (File.Exists(CaPath))
            {
                try
                {
                    using var http = Rest();
                    if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Still starting.
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the hub did not answer over https within 90 s:\n{Log}");
    }

    /// <summary>Runs the hub with <paramref name="arguments"/> to its end (a command, or a start that should fail).</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        return (process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }

    /// <summary>A one-shot command that must succeed; what it printed on stdout.</summary>
    public async Task<string> CommandAsync(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await RunAsync(arguments);
        Assert.True(exitCode == 0, $"fleetnet-hub {string.Join(' ', arguments)} failed ({exitCode}): {stderr}");
        return stdout;
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>An https client for the REST port; trusting the hub's CA unless told otherwise; <paramref name="served"/> sees the server's certificate.</summary>
    public HttpClient Rest(string? apiKey = null, bool trustCa = true, Action<X509Certificate2>? served = null)
    {
        var client = new HttpClient(Handler(trustCa, served)) { BaseAddress = new Uri(RestUrl), Timeout = TimeSpan.FromSeconds(10) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>A gRPC channel trusting the hub's CA, with an API key when given.</summary>
    public GrpcChannel Grpc(string? apiKey = null) => GrpcChannel.ForAddress(GrpcUrl, new GrpcChannelOptions
    {
        HttpHandler = apiKey is null ? Handler(trustCa: true, served: null) : new KeyHandler(apiKey) { InnerHandler = Handler(trustCa: true, served: null) },
        DisposeHttpClient = true,
    });

    private SocketsHttpHandler Handler(bool trustCa, Action<X509Certificate2>? served)
    {
        var handler = new SocketsHttpHandler();
        if (trustCa)
        {
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(CaPath));
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                served?.Invoke(leaf);
                return GeneratedCertificatesTests.ChainsTo(ca, leaf);
            };
        }

        return handler;
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
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
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
        await StopAsync();
        _process?.Dispose();
    }

    private sealed class KeyHandler(string key) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new("Bearer", key);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
