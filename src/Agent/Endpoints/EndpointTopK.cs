using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Endpoints;

/// <summary>
/// Keeps, per process and interval, the K endpoints that moved the most bytes and sums the rest into
/// one "other" sample, so a port scan costs K + 1 samples per process, not one per port.
/// </summary>
internal sealed class EndpointTopK(int k)
{
    private static readonly Comparison<EndpointUsage> s_byProcessThenBytesDescending = (a, b) =>
    {
        var c = a.Pid.CompareTo(b.Pid);
        c = c != 0 ? c : a.StartUnixMs.CompareTo(b.StartUnixMs);
        return c != 0 ? c : (b.TxBytes + b.RxBytes).CompareTo(a.TxBytes + a.RxBytes);
    };

    /// <summary>Moves <paramref name="raw"/> into <paramref name="into"/>, reduced; <paramref name="raw"/> is reordered.</summary>
    public void Reduce(List<EndpointUsage> raw, List<EndpointUsage> into)
    {
        raw.Sort(s_byProcessThenBytesDescending);
        var start = 0;
        while (start < raw.Count)
        {
            var end = start + 1;
            while (end < raw.Count && raw[end].Pid == raw[start].Pid && raw[end].StartUnixMs == raw[start].StartUnixMs)
            {
                end++;
            }

            var kept = Math.Min(k, end - start);
            for (var i = start; i < start + kept; i++)
            {
                into.Add(raw[i]);
            }

            if (end - start > kept)
            {
                into.Add(SumRest(raw, start + kept, end));
            }

            start = end;
        }
    }

    private static EndpointUsage SumRest(List<EndpointUsage> raw, int from, int to)
    {
        var first = raw[from];
        var protocol = first.Protocol;
        ulong tx = 0, rx = 0, txCalls = 0, rxCalls = 0;
        var netns = first.Netns;
        for (var i = from; i < to; i++)
        {
            var e = raw[i];
            tx += e.TxBytes;
            rx += e.RxBytes;
            txCalls += e.TxCalls;
            rxCalls += e.RxCalls;
            protocol = e.Protocol == protocol ? protocol : IpProtocol.Unspecified;
            netns = e.Netns == netns ? netns : 0;
        }

        return new EndpointUsage(first.Pid, first.StartUnixMs, protocol, [], 0, 0, netns, tx, rx, txCalls, rxCalls, (uint)(to - from));
    }
}
