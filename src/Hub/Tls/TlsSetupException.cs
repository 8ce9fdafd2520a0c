namespace FleetNet.Hub.Tls;

/// <summary>The hub cannot serve TLS as configured; its message is the one line the hub prints before exiting with 2.</summary>
internal sealed class TlsSetupException(string message, Exception? inner = null) : Exception(message, inner);
