using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace FleetNet.Hub.Tls;

/// <summary>
/// Gives Kestrel's https endpoints the hub's certificate. Kestrel asks for it when it binds its endpoints
/// at start (after the options were validated), so a failure to make or load it stops the hub before it
/// serves anything; each handshake then takes the current one, with its chain, from
/// <see cref="ServerCertificates"/>. Only https endpoints ask, and the validator allows those only when
/// TLS is on.
/// </summary>
internal sealed class KestrelTlsSetup(ServerCertificates certificates) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options) =>
        options.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificates.Current.Certificate;
            https.OnAuthenticate = (_, ssl) =>
            {
                ssl.ServerCertificate = null;
                ssl.ServerCertificateSelectionCallback = null;
                ssl.ServerCertificateContext = certificates.Current.Context;
            };
        });
}
