using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace FleetNet.Hub.Tls;

/// <summary>
/// The certificate the hub serves, asked for on every TLS handshake. In Generate mode it is looked at
/// again when it is due for renewal, so a long-running hub moves to the renewed certificate (its own or
/// the one a replica sharing the directory made) without a restart.
/// </summary>
internal sealed partial class ServerCertificates(IOptions<TlsOptions> options, TimeProvider time, ILogger<ServerCertificates> logger)
{
    private readonly Lock _gate = new();
    private ServerCredentials? _current;

    public TlsOptions Options => options.Value;

    public ServerCredentials Current
    {
        get
        {
            lock (_gate)
            {
                if (_current is null)
                {
                    _current = Load();
                    LogServing(_current);
                }
                else if (time.GetUtcNow() >= _current.RenewAt)
                {
                    Renew();
                }

                return _current;
            }
        }
    }

    /// <summary>The CA of the certificate being served; null before Kestrel asked for it (no https endpoint, or a test server).</summary>
    public X509Certificate2? ServingCa
    {
        get
        {
            lock (_gate)
            {
                return _current?.Ca;
            }
        }
    }

    /// <summary>The CA clients should trust: the generated one (created if need be), or the operator's Tls:CaPath; null when there is none.</summary>
    public X509Certificate2? Ca() => options.Value.Mode switch
    {
        TlsMode.Generate => new GeneratedCertificates(options.Value, time).EnsureCa(),
        TlsMode.Files => OperatorCertificates.LoadCa(options.Value),
        _ => null,
    };

    /// <summary>Where clients find the CA to trust, for the start-up log and <c>print-ca</c>.</summary>
    public string? CaPath => options.Value.Mode switch
    {
        TlsMode.Generate => new GeneratedCertificates(options.Value, time).CaPath,
        TlsMode.Files => options.Value.CaPath,
        _ => null,
    };

    /// <summary>SHA-256 of the certificate's DER bytes, as colon-separated hex (what <c>openssl x509 -fingerprint -sha256</c> prints).</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        BitConverter.ToString(SHA256.HashData(certificate.RawData)).Replace('-', ':');

    private void LogServing(ServerCredentials current)
    {
        if (current.Ca is { } ca)
        {
            LogServingWithCa(options.Value.Mode, current.Certificate.Subject, current.Certificate.NotAfter.ToUniversalTime(), CaPath ?? "", Fingerprint(ca));
        }
        else
        {
            LogServingWithoutCa(options.Value.Mode, current.Certificate.Subject, current.Certificate.NotAfter.ToUniversalTime());
        }
    }

    /// <summary>
    /// Replaces a certificate that is due. A failure (a full disk, a directory gone) must not fail every
    /// handshake: the current certificate stays, still valid for up to Tls:RenewBefore, and renewal is
    /// tried again in an hour.
    /// </summary>
    private void Renew()
    {
        var previous = _current!;
        try
        {
            _current = Load();
        }
        catch (TlsSetupException e)
        {
            LogRenewalFailed(e.Message);
            _current = previous with { RenewAt = time.GetUtcNow() + TimeSpan.FromHours(1) };
            return;
        }

        if (previous.Certificate.Thumbprint != _current.Certificate.Thumbprint)
        {
            LogRenewed(_current.Certificate.NotAfter.ToUniversalTime());
        }
    }

    private ServerCredentials Load() => options.Value.Mode switch
    {
        TlsMode.Generate => new GeneratedCertificates(options.Value, time).Ensure(),
        TlsMode.Files => OperatorCertificates.Load(options.Value),
        _ => throw new InvalidOperationException("TLS is off"),
    };
}
