using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FleetNet.Hub.Tls;

/// <summary>
/// Generate mode: a private CA (ECDSA P-256) and a server certificate it signs, kept in
/// <see cref="TlsOptions.Directory"/>. The first start creates them; later starts reuse them; a server
/// certificate near its expiry, or missing a name the hub should answer to, is replaced by a new one
/// from the same CA. Everything happens under a lock file and every file is written by rename, so
/// replicas sharing the directory end up with one CA.
/// </summary>
internal sealed class GeneratedCertificates(TlsOptions options, TimeProvider time)
{
    public const string CaCertificateFile = "ca.pem";
    public const string CaKeyFile = "ca.key";
    public const string ServerCertificateFile = "server.pem";
    public const string ServerKeyFile = "server.key";

    private static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(5);

    public string CaPath => Path.Combine(options.Directory, CaCertificateFile);

    /// <summary>The names the server certificate must cover: the host name, localhost, loopback addresses and <see cref="TlsOptions.ExtraNames"/>.</summary>
    public IReadOnlyList<string> WantedNames()
    {
        var names = new List<string> { Dns.GetHostName(), "localhost", "127.0.0.1", "::1" };
        foreach (var extra in options.ExtraNames)
        {
            var name = extra.Trim();
            if (name.Length > 0 && !names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>Loads the CA and server certificate, creating or renewing what is missing or due.</summary>
    public ServerCredentials Ensure()
    {
        try
        {
            CreateDirectory();
            using var held = PemFiles.Lock(Path.Combine(options.Directory, ".lock"), TimeSpan.FromSeconds(30));
            var ca = LoadOrCreateCa();
            var now = time.GetUtcNow();
            var server = LoadServer(ca, now);
            if (server is null)
            {
                server = CreateServer(ca, now);
            }

            var renewAt = new DateTimeOffset(server.NotAfter.ToUniversalTime()) - options.RenewBefore;
            return ServerCredentials.Create(server, [], X509CertificateLoader.LoadCertificate(ca.RawData), renewAt);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new TlsSetupException($"cannot create or read the TLS certificates in {options.Directory}: {e.Message}", e);
        }
    }

    /// <summary>The CA certificate (no key), creating the CA when there is none yet.</summary>
    public X509Certificate2 EnsureCa()
    {
        try
        {
            CreateDirectory();
            using var held = PemFiles.Lock(Path.Combine(options.Directory, ".lock"), TimeSpan.FromSeconds(30));
            using var ca = LoadOrCreateCa();
            return X509CertificateLoader.LoadCertificate(ca.RawData);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new TlsSetupException($"cannot create or read the TLS CA in {options.Directory}: {e.Message}", e);
        }
    }

    private void CreateDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(options.Directory);
        }
        else
        {
            Directory.CreateDirectory(options.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private X509Certificate2 LoadOrCreateCa()
    {
        string certificate = CaPath, key = Path.Combine(options.Directory, CaKeyFile);
        if (File.Exists(certificate) && File.Exists(key))
        {
            return X509Certificate2.CreateFromPemFile(certificate, key);
        }

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=FleetNet hub CA ({Dns.GetHostName()})", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = time.GetUtcNow();
        var ca = request.CreateSelfSigned(now - ClockSlack, now + options.CaLifetime);

        // The key first: a certificate file without its key would be taken for a CA of someone else's.
        PemFiles.WriteAtomically(key, caKey.ExportPkcs8PrivateKeyPem(), secret: true);
        PemFiles.WriteAtomically(certificate, ca.ExportCertificatePem(), secret: false);
        return ca;
    }

    private X509Certificate2? LoadServer(X509Certificate2 ca, DateTimeOffset now)
    {
        string certificate = Path.Combine(options.Directory, ServerCertificateFile), key = Path.Combine(options.Directory, ServerKeyFile);
        if (!File.Exists(certificate) || !File.Exists(key))
        {
            return null;
        }

        X509Certificate2 server;
        try
        {
            server = X509Certificate2.CreateFromPemFile(certificate, key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null; // a certificate and key that do not match (torn by hand): make a new pair
        }

        var due = new DateTimeOffset(server.NotAfter.ToUniversalTime()) - options.RenewBefore <= now;
        if (due || !PrivateCa.Issued(ca, server, ignoreValidityPeriod: true) || !Covers(server, WantedNames()))
        {
            server.Dispose();
            return null;
        }

        return server;
    }

    private X509Certificate2 CreateServer(X509Certificate2 ca, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Dns.GetHostName()}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in WantedNames())
        {
            if (IPAddress.TryParse(name, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        var notAfter = now + options.ServerCertificateLifetime;
        var caNotAfter = new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f; // a positive serial number
        using var signed = request.Create(ca, now - ClockSlack, notAfter < caNotAfter ? notAfter : caNotAfter, serial);
        var server = signed.CopyWithPrivateKey(key);

        PemFiles.WriteAtomically(Path.Combine(options.Directory, ServerKeyFile), key.ExportPkcs8PrivateKeyPem(), secret: true);
        PemFiles.WriteAtomically(Path.Combine(options.Directory, ServerCertificateFile), server.ExportCertificatePem(), secret: false);
        return server;
    }

    /// <summary>Whether the certificate's subject alternative names include every wanted name.</summary>
    public static bool Covers(X509Certificate2 certificate, IReadOnlyList<string> names)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null)
        {
            return false;
        }

        var dns = san.EnumerateDnsNames().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var addresses = san.EnumerateIPAddresses().ToHashSet();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address) ? !addresses.Contains(address) : !dns.Contains(name))
            {
                return false;
            }
        }

        return true;
    }
}
