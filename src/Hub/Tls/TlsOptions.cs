namespace FleetNet.Hub.Tls;

/// <summary>TLS of the REST and gRPC endpoints. Bound from the <c>Tls</c> configuration section.</summary>
internal sealed class TlsOptions
{
    /// <summary><c>Generate</c> (default), <c>Files</c> or <c>Off</c>.</summary>
    public TlsMode Mode { get; set; } = TlsMode.Generate;

    /// <summary>Generate mode: where the CA and the server certificate live (keys 0600); replicas may share it.</summary>
    public string Directory { get; set; } = "/var/lib/fleetnet-hub/tls";

    /// <summary>Generate mode: DNS names and IP addresses the server certificate also covers, beside the host name, localhost, 127.0.0.1 and ::1.</summary>
    public List<string> ExtraNames { get; set; } = [];

    /// <summary>Generate mode: how long a generated server certificate is valid.</summary>
    public TimeSpan ServerCertificateLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Generate mode: a server certificate this close to its expiry is replaced (signed by the same CA).</summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Generate mode: how long the generated CA is valid.</summary>
    public TimeSpan CaLifetime { get; set; } = TimeSpan.FromDays(3650);

    /// <summary>Files mode: the server certificate (PEM), optionally followed by its intermediates.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Files mode: the server certificate's private key (PEM).</summary>
    public string? KeyPath { get; set; }

    /// <summary>Files mode, optional: the CA that agents and the CLI should trust; <c>fleetnet-hub print-ca</c> prints it.</summary>
    public string? CaPath { get; set; }
}
