using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FleetNet.Hub.Tls;

/// <summary>Files mode: the operator's PEM certificate (with any intermediates after it), its key, and the CA to publish.</summary>
internal static class OperatorCertificates
{
    /// <summary>Why the configured files cannot be served, or null when they can.</summary>
    public static string? Check(TlsOptions options)
    {
        try
        {
            Load(options).Certificate.Dispose();
            return null;
        }
        catch (TlsSetupException e)
        {
            return e.Message;
        }
    }

    public static ServerCredentials Load(TlsOptions options)
    {
        var certificatePath = Required(options.CertificatePath, "Tls:CertificatePath");
        var keyPath = Required(options.KeyPath, "Tls:KeyPath");
        X509Certificate2 certificate;
        var chain = new X509Certificate2Collection();
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            chain.ImportFromPemFile(certificatePath);
            chain.RemoveAt(0); // the leaf itself; what follows are its intermediates
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new TlsSetupException($"Tls:CertificatePath {certificatePath} and Tls:KeyPath {keyPath} are not a PEM certificate and its matching private key ({e.Message})", e);
        }

        var ca = LoadCa(options);
        return ServerCredentials.Create(certificate, chain, ca, DateTimeOffset.MaxValue);
    }

    /// <summary>The operator's CA (Tls:CaPath), or null when none is configured.</summary>
    public static X509Certificate2? LoadCa(TlsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CaPath))
        {
            return null;
        }

        var caPath = Required(options.CaPath, "Tls:CaPath");
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
        }
        catch (CryptographicException e)
        {
            throw new TlsSetupException($"Tls:CaPath {caPath} is not a PEM certificate ({e.Message})", e);
        }
    }

    private static string Required(string? path, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new TlsSetupException($"Tls:Mode is Files but {key} is not set");
        }

        if (!File.Exists(path))
        {
            throw new TlsSetupException($"{key} {path} does not exist or cannot be read");
        }

        return path;
    }
}
