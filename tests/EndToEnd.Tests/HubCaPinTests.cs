using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FleetNet.Agent.Security;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Hub.Tests.Tls;

namespace FleetNet.EndToEnd.Tests;

/// <summary>The agent's side of a pinned enrollment token against the real hub process serving generated TLS.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class HubCaPinTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"h1-pin-{Guid.NewGuid():N}");

    [Fact]
    public async Task LearnAsync_PinFromTheHubsToken_StoresTheHubsCa()
    {
        await using var hub = await StartHubAsync();
        var token = await hub.CommandAsync("create-enrollment-token");
        var settings = new AgentSecuritySettings(token, Path.Combine(_directory, "agent", "agent.secret"), null, "pin-test");

        var ca = await HubCaPin.LearnAsync(hub.GrpcUrl, settings.CaPin!, settings.StoredCaFile, CancellationToken.None);

        Assert.Equal(AgentCredentials.LoadCa(hub.CaPath).Thumbprint, ca.Thumbprint);
        Assert.Equal(ca.Thumbprint, AgentCredentials.LoadCa(Path.Combine(_directory, "agent", "hub-ca.pem")).Thumbprint);
    }

    [Fact]
    public async Task LearnAsync_PinOfAnotherCa_RefusedAndNothingStored()
    {
        await using var hub = await StartHubAsync();
        var stored = Path.Combine(_directory, "agent", "hub-ca.pem");

        var error = await Assert.ThrowsAsync<HubCaMismatchException>(() =>
            HubCaPin.LearnAsync(hub.GrpcUrl, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", stored, CancellationToken.None));

        Assert.Contains("does not match the fingerprint in the enrollment token", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(stored));
    }

    [Fact]
    public async Task Agent_GivenAHubCa_RefusesAHubOnlyTheSystemStoreTrusts()
    {
        if (!Privileges.Root())
        {
            return;
        }

        await using var hub = await StartHubAsync();
        var token = await hub.CommandAsync("create-enrollment-token", "--uses", "1");
        var otherCa = Path.Combine(_directory, "other-ca.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=Not the hub's CA", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllTextAsync(otherCa, ca.ExportCertificatePem());
        }

        // The "system" store (SSL_CERT_FILE) holds the hub's own CA; FLEETNET_HUBCA names another one.
        var secret = Path.Combine(_directory, "agent", "agent.secret");
        await using var agent = FleetNetStack.StartAgent(hub.GrpcUrl, "trust-test", new Dictionary<string, string>
        {
            ["SSL_CERT_FILE"] = hub.CaPath,
            ["SSL_CERT_DIR"] = "",
            ["FLEETNET_HUBCA"] = otherCa,
            ["FLEETNET_ENROLLMENTTOKEN"] = token,
            ["FLEETNET_CREDENTIALSFILE"] = secret,
            ["FLEETNET_SPOOLDIRECTORY"] = Path.Combine(_directory, "agent", "spool"),
        });

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!agent.Output.Contains("The remote certificate was rejected", StringComparison.Ordinal) && !File.Exists(secret) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(File.Exists(secret), $"the agent enrolled with a hub whose CA is not FLEETNET_HUBCA:\n{agent.Output}");
        Assert.Contains("The remote certificate was rejected", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void CaPin_TokenWithAndWithoutPin_Parsed()
    {
        Assert.Equal("abc", new AgentSecuritySettings("fne_x.abc", "/s", null, "h").CaPin);
        Assert.Null(new AgentSecuritySettings("fne_x", "/s", null, "h").CaPin);
        Assert.Null(new AgentSecuritySettings(null, "/s", null, "h").CaPin);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task<TlsHubProcess> StartHubAsync()
    {
        var hub = new TlsHubProcess(postgres.ConnectionString, Path.Combine(_directory, "tls", "ca.pem"), ("Tls__Directory", Path.Combine(_directory, "tls")));
        await hub.StartAsync();
        return hub;
    }
}
