using System.Net;
using System.Security.Cryptography.X509Certificates;
using FleetNet.Hub.Tls;
using Microsoft.Extensions.Time.Testing;

namespace FleetNet.Hub.Tests.Tls;

public sealed class GeneratedCertificatesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"h1-tls-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Ensure_FirstStart_CreatesCaAndServerCertificateWithSansSignedByIt()
    {
        var options = Options(extraNames: ["hub.example.test", "198.18.0.1"]);

        var credentials = new GeneratedCertificates(options, _time).Ensure();

        var server = credentials.Certificate;
        Assert.True(server.HasPrivateKey);
        var san = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(
            new[] { Dns.GetHostName(), "localhost", "hub.example.test" }.Order(StringComparer.OrdinalIgnoreCase),
            san.EnumerateDnsNames().Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal(
            new[] { IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("198.18.0.1") }.Select(a => a.ToString()).Order(),
            san.EnumerateIPAddresses().Select(a => a.ToString()).Order());
        Assert.Equal(X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_directory, "ca.pem"))).Thumbprint, credentials.Ca!.Thumbprint);
        Assert.Equal(server.Issuer, credentials.Ca.Subject);
        Assert.True(PrivateCa.Issued(credentials.Ca, server, ignoreValidityPeriod: true));
        Assert.Equal(_time.GetUtcNow() + options.ServerCertificateLifetime, new DateTimeOffset(server.NotAfter.ToUniversalTime()), TimeSpan.FromSeconds(1));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Ensure_FirstStart_KeysAreOwnerOnlyCertificatesReadable()
    {
        new GeneratedCertificates(Options(), _time).Ensure();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "ca.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "server.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        Assert.True(File.GetUnixFileMode(Path.Combine(_directory, "ca.pem")).HasFlag(UnixFileMode.OtherRead));
    }

    [Fact]
    public void Ensure_SecondStart_ReusesCaAndServerCertificate()
    {
        var first = new GeneratedCertificates(Options(), _time).Ensure();
        _time.Advance(TimeSpan.FromDays(10));

        var second = new GeneratedCertificates(Options(), _time).Ensure();

        Assert.Equal(first.Ca!.Thumbprint, second.Ca!.Thumbprint);
        Assert.Equal(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
    }

    [Fact]
    public void Ensure_ServerCertificateWithinRenewBefore_RenewedFromTheSameCa()
    {
        var options = Options();
        var first = new GeneratedCertificates(options, _time).Ensure();
        _time.Advance(options.ServerCertificateLifetime - options.RenewBefore + TimeSpan.FromMinutes(1));

        var renewed = new GeneratedCertificates(options, _time).Ensure();

        Assert.NotEqual(first.Certificate.Thumbprint, renewed.Certificate.Thumbprint);
        Assert.Equal(first.Ca!.Thumbprint, renewed.Ca!.Thumbprint);
        Assert.True(renewed.Certificate.NotAfter > first.Certificate.NotAfter);
        Assert.True(PrivateCa.Issued(renewed.Ca, renewed.Certificate, ignoreValidityPeriod: true));
    }

    [Fact]
    public void Current_HubRunningPastRenewal_ServesTheRenewedCertificate()
    {
        var options = Options();
        var certificates = new ServerCertificates(Microsoft.Extensions.Options.Options.Create(options), _time, Microsoft.Extensions.Logging.Abstractions.NullLogger<ServerCertificates>.Instance);
        var first = certificates.Current.Certificate.Thumbprint;
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(first, certificates.Current.Certificate.Thumbprint);

        _time.Advance(options.ServerCertificateLifetime - options.RenewBefore);

        Assert.NotEqual(first, certificates.Current.Certificate.Thumbprint);
    }

    [Fact]
    public void Current_RenewalFailsWhileRunning_KeepsServingTheCurrentCertificate()
    {
        var options = Options();
        var certificates = new ServerCertificates(Microsoft.Extensions.Options.Options.Create(options), _time, Microsoft.Extensions.Logging.Abstractions.NullLogger<ServerCertificates>.Instance);
        var first = certificates.Current.Certificate.Thumbprint;
        options.Directory = "/proc/h1-tls-cannot-exist/tls";
        _time.Advance(options.ServerCertificateLifetime - options.RenewBefore);

        Assert.Equal(first, certificates.Current.Certificate.Thumbprint);
    }

    [Theory]
    [InlineData("hub.example.test", true)]
    [InlineData("198.18.0.5", true)]
    [InlineData("fd00::5", true)]
    [InlineData("not a name", false)]
    [InlineData("https://hub", false)]
    public void Validate_ExtraName_AcceptsDnsNamesAndAddressesOnly(string name, bool valid)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();

        var result = new TlsOptionsValidator(configuration).Validate(null, Options(extraNames: [name]));

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains($"Tls:ExtraNames entry '{name}' is neither a DNS name nor an IP address", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Ensure_ExtraNameAddedToConfiguration_ServerCertificateReissuedWithIt()
    {
        var first = new GeneratedCertificates(Options(), _time).Ensure();

        var second = new GeneratedCertificates(Options(extraNames: ["hub-2.example.test"]), _time).Ensure();

        Assert.NotEqual(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
        Assert.Equal(first.Ca!.Thumbprint, second.Ca!.Thumbprint);
        Assert.Contains("hub-2.example.test", second.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
    }

    [Fact]
    public async Task Ensure_EightReplicasStartingAtOnce_AllServeCertificatesOfOneCa()
    {
        var starts = Enumerable.Range(0, 8).Select(_ => Task.Run(() => new GeneratedCertificates(Options(), _time).Ensure())).ToArray();

        var results = await Task.WhenAll(starts);

        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_directory, "ca.pem")));
        Assert.All(results, r => Assert.Equal(ca.Thumbprint, r.Ca!.Thumbprint));
        Assert.All(results, r => Assert.True(PrivateCa.Issued(ca, r.Certificate, ignoreValidityPeriod: true)));
        Assert.Single(results.Select(r => r.Certificate.Thumbprint).Distinct());
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void Ensure_DirectoryCannotBeCreated_TlsSetupExceptionNamingIt()
    {
        var options = Options();
        options.Directory = "/proc/h1-tls-cannot-exist/tls";

        var error = Assert.Throws<TlsSetupException>(() => new GeneratedCertificates(options, _time).Ensure());

        Assert.Contains("/proc/h1-tls-cannot-exist/tls", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private TlsOptions Options(string[]? extraNames = null) => new() { Directory = _directory, ExtraNames = [.. extraNames ?? []] };
}
