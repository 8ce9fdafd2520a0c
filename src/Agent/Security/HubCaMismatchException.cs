namespace FleetNet.Agent.Security;

/// <summary>The hub's CA is not the one whose fingerprint the enrollment token carries: not the hub the token was made for.</summary>
internal sealed class HubCaMismatchException(string message) : Exception(message);
