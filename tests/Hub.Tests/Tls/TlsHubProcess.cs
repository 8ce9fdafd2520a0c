using System.Security.Cryptography.X509Certificates;
using FleetNet.Hub.Tests.Hosting;
using Grpc.Net.Client;

namespace FleetNet.Hub.Tests.Tls;

/// <summary>
/// The real hub (<c>fleetnet-hub.dll</c>) as a child process serving https on two free loopback ports,
/// with agent identities and API keys required, and clients that trust (or do not trust) its CA.
/// </summary>
public sealed class TlsHubProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly HubChildProcess _hub;

    /// <param name="caPath">The CA file clients trust (in Generate mode: <c>Tls:Directory/ca.pem</c>, there once the hub started).</param>
    public TlsHubProcess(string connectionString, string caPath, params (string Key, string Value)[] settings)
    {
        CaPath = caPath;
        RestPort = HubChildProcess.FreePort();
        GrpcPort = HubChildProcess.FreePort();
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

        _hub = new HubChildProcess(_environment);
    }

    public string CaPath { get; }

    public int RestPort { get; }

    public int GrpcPort { get; }

    public string RestUrl => $"https://127.0.0.1:{RestPort}";

    public string GrpcUrl => $"https://127.0.0.1:{GrpcPort}";

    public IReadOnlyDictionary<string, string> Environment => _environment;

    public string Log => _hub.Log;

    /// <summary>Starts the hub and waits (bounded) until /healthz answers over https to a client trusting the CA.</summary>
    public Task StartAsync() => _hub.StartAsync(async () =>
    {
        if (!File.Exists(CaPath))
        {
            return false;
        }

        using var http = Rest();
        return (await http.GetAsync("/healthz")).IsSuccessStatusCode;
    }, TimeSpan.FromSeconds(90));

    /// <summary>Runs the hub with <paramref name="arguments"/> to its end (a command, or a start that should fail).</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) => _hub.RunAsync(arguments);

    /// <summary>A one-shot command that must succeed; what it printed on stdout.</summary>
    public Task<string> CommandAsync(params string[] arguments) => _hub.CommandAsync(arguments);

    public Task StopAsync() => _hub.KillAsync();

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
                return PrivateCa.Issued(ca, leaf);
            };
        }

        return handler;
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    private sealed class KeyHandler(string key) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new("Bearer", key);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
