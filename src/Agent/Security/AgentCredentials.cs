using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace FleetNet.Agent.Security;

/// <summary>
/// The agent's side of enrollment and TLS, applied to the hub channel's options: trusts the hub's CA
/// when FLEETNET_HUBCA names one, else the CA it stored beside its secret, else the CA it will learn
/// while enrolling with a token that carries the CA's fingerprint; and sends the agent's secret on every
/// call, enrolling first with FLEETNET_ENROLLMENTTOKEN when no secret is stored yet. Without a token or
/// stored secret the channel is left as it was (a hub in open mode).
/// </summary>
internal static class AgentCredentials
{
    public static GrpcChannelOptions ConfigureChannel(GrpcChannelOptions options, string hubUrl) =>
        ConfigureChannel(options, hubUrl, AgentSecuritySettings.FromEnvironment());

    public static GrpcChannelOptions ConfigureChannel(GrpcChannelOptions options, string hubUrl, AgentSecuritySettings settings)
    {
        var trust = new HubTrust
        {
            Ca = settings.HubCaFile is { } caFile ? LoadCa(caFile) : File.Exists(settings.StoredCaFile) ? LoadCa(settings.StoredCaFile) : null,
        };
        if (options.HttpHandler is SocketsHttpHandler sockets)
        {
            TrustCa(sockets, trust);
        }

        if (settings.EnrollmentToken is not null || File.Exists(settings.CredentialsFile))
        {
            options.HttpHandler = new AgentSecretHandler(settings, hubUrl, trust) { InnerHandler = options.HttpHandler ?? new SocketsHttpHandler() };
        }

        return options;
    }

    /// <summary>Accepts what the system trusts, or a chain to the hub's CA once it is known.</summary>
    internal static void TrustCa(SocketsHttpHandler handler, HubTrust trust) =>
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None || (certificate is not null && trust.Ca is { } ca && PrivateCa.Issued(ca, certificate));

    internal static X509Certificate2 LoadCa(string path) =>
        X509Certificate2.CreateFromPem(File.ReadAllText(path));
}
