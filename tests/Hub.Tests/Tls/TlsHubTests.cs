using System.Net.Http.Json;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;

namespace FleetNet.Hub.Tests.Tls;

/// <summary>The real hub process serving REST and gRPC over TLS: generated certificates, the operator's own, and refusals.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TlsHubTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"h1-tlshub-{Guid.NewGuid():N}");

    [Fact]
    public async Task Hub_GeneratedTls_ClientsTrustingTheCaGetRestAndGrpcAnswers()
    {
        await using var hub = GeneratedHub();
        await hub.StartAsync();
        var key = await hub.CommandAsync("create-api-key", "--role", "admin");

        using var rest = hub.Rest(key);
        var hosts = await rest.GetFromJsonAsync<JsonElement>("/api/v1/hosts");
        using var channel = hub.Grpc(key);
        var grpcHosts = await new FleetNet.Protocol.V1.Query.QueryClient(channel).ListHostsAsync(new ListHostsRequest());

        Assert.Equal(JsonValueKind.Array, hosts.ValueKind);
        Assert.NotNull(grpcHosts);
        Assert.Contains($"trust the CA in {hub.CaPath}", hub.Log, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "server.key")));
    }

    [Fact]
    public async Task PrintCa_GeneratedTls_PrintsTheCaFileTheHubServesFrom()
    {
        await using var hub = GeneratedHub();
        await hub.StartAsync();

        var (exitCode, stdout, stderr) = await hub.RunAsync("print-ca");

        Assert.Equal(0, exitCode);
        Assert.Equal((await File.ReadAllTextAsync(hub.CaPath)).Trim(), stdout);
        var ca = X509Certificate2.CreateFromPem(stdout);
        Assert.Contains(BitConverter.ToString(System.Security.Cryptography.SHA256.HashData(ca.RawData)).Replace('-', ':'), stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateEnrollmentToken_GeneratedTls_TokenCarriesTheCaPinAndEnrolls()
    {
        await using var hub = GeneratedHub();
        await hub.StartAsync();

        var token = await hub.CommandAsync("create-enrollment-token", "--uses", "1");
        using var channel = hub.Grpc();
        var client = new Enrollment.EnrollmentClient(channel);
        var published = await client.GetCaAsync(new GetCaRequest());
        var enrolled = await client.EnrollAsync(new EnrollRequest { Token = token, HostName = "pinned-1" });

        var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(hub.CaPath));
        var pin = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(ca.RawData)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.EndsWith($".{pin}", token, StringComparison.Ordinal);
        Assert.Equal(ca.Thumbprint, X509Certificate2.CreateFromPem(published.CaPem).Thumbprint);
        Assert.StartsWith("fna_", enrolled.Secret, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hub_ClientNotTrustingTheCa_RefusedInTheTlsHandshake()
    {
        await using var hub = GeneratedHub();
        await hub.StartAsync();

        using var untrusting = hub.Rest(trustCa: false);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("/healthz"));

        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [Fact]
    public async Task Hub_PlainHttpToTheHttpsPort_Fails()
    {
        await using var hub = GeneratedHub();
        await hub.StartAsync();

        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var answered = false;
        try
        {
            answered = (await plain.GetAsync($"http://127.0.0.1:{hub.RestPort}/healthz")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            // Kestrel closes a connection that does not start with a TLS handshake.
        }

        Assert.False(answered);
    }

    [Fact]
    public async Task Hub_Restarted_ServesTheSameCertificate()
    {
        await using var hub = GeneratedHub();
        await hub.StartAsync();
        X509Certificate2? first = null, second = null;
        using (var client = hub.Rest(served: c => first = c))
        {
            await client.GetAsync("/healthz");
        }

        await hub.StopAsync();
        await hub.StartAsync();
        using (var client = hub.Rest(served: c => second = c))
        {
            await client.GetAsync("/healthz");
        }

        Assert.NotNull(first);
        Assert.Equal(first.Thumbprint, second?.Thumbprint);
    }

    [Fact]
    public async Task Hub_OperatorsOwnPemFiles_ServesThatCertificate()
    {
        var operatorFiles = OperatorFiles();
        await using var hub = new TlsHubProcess(postgres.ConnectionString, operatorFiles.Ca,
            ("Tls__Mode", "Files"), ("Tls__CertificatePath", operatorFiles.Certificate), ("Tls__KeyPath", operatorFiles.Key), ("Tls__CaPath", operatorFiles.Ca),
            ("Tls__Directory", Path.Combine(_directory, "unused")));
        await hub.StartAsync();

        X509Certificate2? served = null;
        using (var client = hub.Rest(served: c => served = c))
        {
            Assert.True((await client.GetAsync("/healthz")).IsSuccessStatusCode);
        }

        Assert.Equal(X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(operatorFiles.Certificate)).Thumbprint, served?.Thumbprint);
        Assert.False(Directory.Exists(Path.Combine(_directory, "unused")));
        Assert.Equal((await File.ReadAllTextAsync(operatorFiles.Ca)).Trim(), (await hub.RunAsync("print-ca")).Stdout);
    }

    [Fact]
    public async Task Main_KeyNotMatchingTheCertificate_OneLineAndExit2()
    {
        var operatorFiles = OperatorFiles();
        var otherKey = Path.Combine(_directory, "ca.key");
        await using var hub = new TlsHubProcess(postgres.ConnectionString, operatorFiles.Ca,
            ("Tls__Mode", "Files"), ("Tls__CertificatePath", operatorFiles.Certificate), ("Tls__KeyPath", otherKey));

        var (exitCode, stdout, stderr) = await hub.RunAsync();

        Assert.Equal(2, exitCode);
        Assert.Single(stderr.Split('\n'));
        Assert.Contains($"Tls:KeyPath {otherKey} are not a PEM certificate and its matching private key", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_CertificateFileMissing_OneLineAndExit2()
    {
        var missing = Path.Combine(_directory, "missing.pem");
        await using var hub = new TlsHubProcess(postgres.ConnectionString, missing,
            ("Tls__Mode", "Files"), ("Tls__CertificatePath", missing), ("Tls__KeyPath", missing));

        var (exitCode, stdout, stderr) = await hub.RunAsync();

        Assert.Equal(2, exitCode);
        Assert.Equal($"fleetnet-hub: invalid configuration: Tls:CertificatePath {missing} does not exist or cannot be read", stderr);
        Assert.DoesNotContain("   at ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_GeneratedTlsDirectoryNotWritable_OneLineAndExit2()
    {
        await using var hub = new TlsHubProcess(postgres.ConnectionString, "/proc/h1-none/ca.pem", ("Tls__Directory", "/proc/h1-none/tls"));

        var (exitCode, stdout, stderr) = await hub.RunAsync();

        Assert.Equal(2, exitCode);
        Assert.Single(stderr.Split('\n'));
        Assert.StartsWith("fleetnet-hub: cannot create or read the TLS certificates in /proc/h1-none/tls", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_HttpEndpointWhileTlsIsOn_OneLineAndExit2()
    {
        await using var hub = new TlsHubProcess(postgres.ConnectionString, "", ("Kestrel__Endpoints__Rest__Url", "http://127.0.0.1:0"), ("Tls__Directory", _directory));

        var (exitCode, _, stderr) = await hub.RunAsync();

        Assert.Equal(2, exitCode);
        Assert.Equal("fleetnet-hub: invalid configuration: Kestrel:Endpoints:Rest:Url is http://127.0.0.1:0 but Tls:Mode is Generate: use https://, or set Tls:Mode=Off explicitly (loopback or a trusted network only)", stderr);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private TlsHubProcess GeneratedHub() =>
        new(postgres.ConnectionString, Path.Combine(_directory, "ca.pem"), ("Tls__Directory", _directory), ("Security__RequireApiKeys", "true"));

    /// <summary>A CA and a server certificate made outside the hub, as an operator would bring them.</summary>
    private (string Certificate, string Key, string Ca) OperatorFiles()
    {
        var own = Path.Combine(_directory, "operator");
        new Hub.Tls.GeneratedCertificates(new Hub.Tls.TlsOptions { Directory = own }, TimeProvider.System).Ensure();
        File.Copy(Path.Combine(own, "ca.key"), Path.Combine(_directory, "ca.key"));
        return (Path.Combine(own, "server.pem"), Path.Combine(own, "server.key"), Path.Combine(own, "ca.pem"));
    }
}
