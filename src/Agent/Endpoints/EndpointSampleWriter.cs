using FleetNet.Protocol.V1;
using Google.Protobuf;

namespace FleetNet.Agent.Endpoints;

/// <summary>One interval's endpoint usage as batch samples (EndpointSample has no string-table fields).</summary>
internal static class EndpointSampleWriter
{
    /// <summary>
    /// Sets every field of <paramref name="sample"/> from <paramref name="usage"/>. The tracker shares one
    /// immutable array per address, so each is wrapped once (<paramref name="addresses"/>), never copied.
    /// </summary>
    public static EndpointSample Fill(EndpointSample sample, EndpointUsage usage, uint intervalMs, Dictionary<byte[], ByteString> addresses)
    {
        sample.OffsetMs = intervalMs;
        sample.IntervalMs = intervalMs;
        sample.Pid = usage.Pid;
        sample.StartUnixMs = usage.StartUnixMs;
        sample.Protocol = usage.Protocol;
        sample.RemoteAddress = Wrap(addresses, usage.RemoteAddress);
        sample.RemotePort = usage.RemotePort;
        sample.LocalPort = usage.LocalPort;
        sample.TxBytes = usage.TxBytes;
        sample.RxBytes = usage.RxBytes;
        sample.TxCalls = usage.TxCalls;
        sample.RxCalls = usage.RxCalls;
        sample.Netns = usage.Netns;
        sample.OtherEndpoints = usage.OtherEndpoints;
        return sample;
    }

    private static ByteString Wrap(Dictionary<byte[], ByteString> wrapped, byte[] address)
    {
        if (address.Length == 0)
        {
            return ByteString.Empty;
        }

        ref var bytes = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(wrapped, address, out var known);
        if (!known)
        {
            bytes = UnsafeByteOperations.UnsafeWrap(address);
        }

        return bytes!;
    }
}
