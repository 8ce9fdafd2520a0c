using System.Security.Cryptography.X509Certificates;

namespace FleetNet;

/// <summary>
/// Chain checks against a private CA (the hub's generated one or the operator's), which no system trust store
/// holds: used by the hub to tell whether its server certificate is still the CA's, and by the agent and the CLI
/// to trust the hub.
/// </summary>
public static class PrivateCa
{
    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="ca"/>; revocation is not checked (a private CA publishes no CRL).</summary>
    /// <param name="ignoreValidityPeriod">Accept certificates outside their validity period (the hub renews those itself).</param>
    public static bool Issued(X509Certificate2 ca, X509Certificate certificate, bool ignoreValidityPeriod = false)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (ignoreValidityPeriod)
        {
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
