using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace FleetNet.Hub.Tls;

/// <summary>
/// What the hub presents in a TLS handshake: its certificate with key, the chain it sends (the operator's
/// intermediates; the CA is given to the chain builder too), the CA to publish, and when to look again.
/// </summary>
internal sealed record ServerCredentials(X509Certificate2 Certificate, X509Certificate2? Ca, SslStreamCertificateContext Context, DateTimeOffset RenewAt)
{
    public static ServerCredentials Create(X509Certificate2 certificate, X509Certificate2Collection chain, X509Certificate2? ca, DateTimeOffset renewAt)
    {
        if (ca is not null)
        {
            chain.Add(ca);
        }

        return new(certificate, ca, SslStreamCertificateContext.Create(certificate, chain, offline: true), renewAt);
    }
}
