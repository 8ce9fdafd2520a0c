using FleetNet.Protocol.V1;
using Google.Protobuf;

namespace FleetNet.Agent.Endpoints;

/// <summary>Adds one interval's endpoint usage to a batch (EndpointSample has no string-table fields).</summary>
internal static class EndpointSampleWriter
{
    public static void AddTo(Batch batch, List<EndpointUsage> endpoints)
    {
        var intervalMs = (uint)Math.Clamp(batch.EndUnixMs - batch.StartUnixMs, 0, uint.MaxValue);

        // The tracker shares one immutable array per address, so each is wrapped once, not copied per sample.
        var addresses = new Dictionary<byte[], ByteString>(ReferenceEqualityComparer.Instance);
        foreach (var usage in endpoints)
        {
            batch.Endpoints.Add(new EndpointSample
            {
                OffsetMs = intervalMs,
                IntervalMs = intervalMs,
                Pid = usage.Pid,
                StartUnixMs = usage.StartUnixMs,
                Protocol = usage.Protocol,
                RemoteAddress = Wrap(addresses, usage.RemoteAddress),
                RemotePort = usage.RemotePort,
                LocalPort = usage.LocalPort,
                TxBytes = usage.TxBytes,
                RxBytes = usage.RxBytes,
                TxCalls = usage.TxCalls,
                RxCalls = usage.RxCalls,
                Netns = usage.Netns,
                OtherEndpoints = usage.OtherEndpoints,
            });
        }
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
