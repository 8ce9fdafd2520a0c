namespace FleetNet.Hub.Tls;

internal sealed partial class ServerCertificates
{
    [LoggerMessage(Level = LogLevel.Information, Message = "TLS ({Mode}): serving {Subject}, valid until {NotAfter:u}; agents and the CLI trust the CA in {CaPath} (SHA-256 {Fingerprint}); print it with: fleetnet-hub print-ca")]
    private partial void LogServingWithCa(TlsMode mode, string subject, DateTime notAfter, string caPath, string fingerprint);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS ({Mode}): serving {Subject}, valid until {NotAfter:u}")]
    private partial void LogServingWithoutCa(TlsMode mode, string subject, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS: server certificate renewed from the same CA, valid until {NotAfter:u}")]
    private partial void LogRenewed(DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Error, Message = "TLS: renewing the server certificate failed, serving the current one and trying again in an hour: {Reason}")]
    private partial void LogRenewalFailed(string reason);
}
