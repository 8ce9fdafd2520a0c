using System.Net.Security;
using System.Runtime.InteropServices;
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
            Ca = settings.KnownCaFile is { } caFile ? LoadCa(caFile) : null,
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

    /// <summary>
    /// Trusts the hub's CA alone when it is known now (named or stored), like <c>curl --cacert</c>. Until
    /// a CA is known, accepts what the system trusts, or a chain to the CA the agent learns while enrolling.
    /// </summary>
    internal static void TrustCa(SocketsHttpHandler handler, HubTrust trust)
    {
        if (trust.Ca is { } known)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.Add(known);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None || (certificate is not null && trust.Ca is { } ca && PrivateCa.Issued(ca, certificate));
    }

    /// <summary>
    /// When the hub's CA is known at start, makes it the process's whole system trust store (OpenSSL's
    /// <c>SSL_CERT_FILE</c> = the CA, <c>SSL_CERT_DIR</c> empty), so that the agent trusts that CA alone.
    /// .NET loads the system store for every chain it builds, even with a custom root, and keeps it:
    /// with Debian's ca-certificates that is 147 files read and about 2 MiB more at the first handshake,
    /// 1 MiB for good. Call before any thread and before the first TLS handshake; the agent makes no
    /// other TLS connections. Without a known CA the system store stays.
    /// </summary>
    public static void TrustOnlyKnownCa(AgentSecuritySettings settings)
    {
        if (settings.KnownCaFile is { } caFile
            && (Interop.Interop.setenv("SSL_CERT_FILE", Path.GetFullPath(caFile), 1) != 0 || Interop.Interop.setenv("SSL_CERT_DIR", "", 1) != 0))
        {
            throw new InvalidOperationException($"setenv failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    internal static X509Certificate2 LoadCa(string path) =>
        X509Certificate2.CreateFromPem(File.ReadAllText(path));
}
