using System.Security.Cryptography.X509Certificates;

namespace FleetNet.Agent.Security;

/// <summary>The hub's CA as the agent knows it: from FLEETNET_HUBCA, from its own store, or learned while enrolling; null until then.</summary>
internal sealed class HubTrust
{
    public X509Certificate2? Ca { get; set; }
}
