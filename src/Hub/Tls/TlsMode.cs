namespace FleetNet.Hub.Tls;

/// <summary>Where the hub's TLS certificate comes from (<c>Tls:Mode</c>).</summary>
internal enum TlsMode
{
    /// <summary>A private CA and a server certificate the hub creates at first start in <c>Tls:Directory</c>, then reuses.</summary>
    Generate,

    /// <summary>The operator's own PEM certificate and key (<c>Tls:CertificatePath</c>, <c>Tls:KeyPath</c>).</summary>
    Files,

    /// <summary>No TLS: plain http and h2c. Only for loopback or a trusted network; must be chosen explicitly.</summary>
    Off,
}
