using FleetNet.Agent.Interfaces;
using FleetNet.Agent.Processes;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Unattributed;

/// <summary>
/// Interface bytes minus attributed bytes, per direction, for the host's network namespace.
/// <list type="bullet">
/// <item>Loopback is counted on both sides, per direction: a loopback byte is one tx and one rx on
/// <c>lo</c>, and one send (the sender's tx) and one receive (the receiver's rx) in process terms, so it
/// balances; adding rx and tx together would count it twice on both sides alike.</item>
/// <item>An interface with a <c>master</c> (bridge port, bond slave) is skipped: its bytes are counted
/// again on the bridge or bond.</item>
/// <item>Process bytes are socket payload; interface bytes include L2–L4 headers, so protocol overhead
/// (and ARP, ICMP, packet and raw-socket traffic the socket hooks do not see) shows up as unattributed.
/// Traffic the host forwards (a router, containers behind NAT) crosses two interfaces but no local socket
/// and is unattributed on both.</item>
/// </list>
/// </summary>
internal sealed class UnattributedCalculator(IOptions<AgentOptions> options)
{
    private readonly string _netRoot = Path.Combine(options.Value.SysRoot, "class", "net");

    public UnattributedUsage Compute(List<InterfaceUsage> interfaces, List<ProcessUsage> processes)
    {
        ulong interfaceRx = 0, interfaceTx = 0, attributedRx = 0, attributedTx = 0;
        foreach (var usage in interfaces)
        {
            if (!usage.Reset && !HasMaster(usage.Name))
            {
                interfaceRx += usage.RxBytes;
                interfaceTx += usage.TxBytes;
            }
        }

        foreach (var usage in processes)
        {
            attributedRx += usage.RxBytes;
            attributedTx += usage.TxBytes;
        }

        return new UnattributedUsage(interfaceRx, interfaceTx, attributedRx, attributedTx);
    }

    private bool HasMaster(string name) => Path.Exists(Path.Combine(_netRoot, name, "master"));
}
