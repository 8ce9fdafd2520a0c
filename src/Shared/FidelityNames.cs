using FleetNet.Protocol.V1;

namespace FleetNet;

/// <summary>Short, stable names of fidelity levels as shown by the API and the CLI.</summary>
public static class FidelityNames
{
    /// <summary>e.g. <c>btf_tracepoint</c>, <c>interfaces_only</c>; <c>unknown</c> for values this version does not know.</summary>
    public static string Name(this Fidelity fidelity) => fidelity switch
    {
        Fidelity.BtfTracepoint => "btf_tracepoint",
        Fidelity.RawTracepoint => "raw_tracepoint",
        Fidelity.CgroupSkb => "cgroup_skb",
        Fidelity.SockDiag => "sock_diag",
        Fidelity.InterfacesOnly => "interfaces_only",
        _ => "unknown",
    };
}
