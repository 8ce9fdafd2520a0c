using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Endpoints;

/// <summary>
/// Traffic of one process with one remote endpoint over one interval. <see cref="RemoteAddress"/> is 4
/// or 16 bytes; all zero (port 0) for unconnected UDP, whose peer the socket does not hold; empty for
/// the "other" bucket, which sums <see cref="OtherEndpoints"/> endpoints beyond the top K.
/// </summary>
internal sealed record EndpointUsage(
    uint Pid,
    long StartUnixMs,
    IpProtocol Protocol,
    byte[] RemoteAddress,
    uint RemotePort,
    uint LocalPort,
    ulong Netns,
    ulong TxBytes,
    ulong RxBytes,
    ulong TxCalls,
    ulong RxCalls,
    uint OtherEndpoints = 0)
{
    /// <summary>True for the bucket that sums the endpoints beyond the top K.</summary>
    public bool IsOther => RemoteAddress.Length == 0;
}
