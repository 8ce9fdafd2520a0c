using FleetNet.Agent.Spool;
using FleetNet.Protocol.V1;
using Google.Protobuf;

namespace FleetNet.Agent.Pipeline;

/// <summary>
/// Adds the outbox's own fields — gaps and agent counters — to a batch the sampler already encoded.
/// Protobuf merges concatenated messages (repeated fields append, message fields merge), so the extra
/// fields are encoded as a partial <see cref="Batch"/> and appended: no decode and re-encode.
/// </summary>
internal static class OutboxPayload
{
    /// <summary>The batch followed by its <see cref="Tail"/>: one message.</summary>
    public static byte[] Join(byte[] payload, byte[] tail)
    {
        var result = new byte[payload.Length + tail.Length];
        payload.CopyTo(result, 0);
        tail.CopyTo(result, payload.Length);
        return result;
    }

    /// <summary>
    /// The encoded fields to add after a batch whose string table has <paramref name="stringCount"/>
    /// entries: stored after it (the spool) or joined to it (<see cref="Join"/>).
    /// </summary>
    public static byte[] Tail(int stringCount, List<SpoolLoss> losses, OutboxCounters counters)
    {
        var extra = new Batch
        {
            Counters = new AgentCounters
            {
                BatchesSent = counters.BatchesSent,
                BatchesRejected = counters.BatchesRejected,
                BatchesLost = counters.BatchesLost,
                SamplesLost = counters.SamplesLost,
            },
        };

        if (losses.Count > 0 && stringCount == 0)
        {
            // Entry 0 of a string table is always "".
            extra.Strings.Add("");
        }

        foreach (var loss in losses)
        {
            extra.Gaps.Add(new Gap
            {
                StartUnixMs = loss.StartUnixMs,
                EndUnixMs = loss.EndUnixMs,
                BatchesLost = loss.Batches,
                SamplesLost = loss.Samples,
                // The appended strings follow the batch's own, so this is the index the reason lands at.
                Reason = (uint)(stringCount + extra.Strings.Count),
            });
            extra.Strings.Add(loss.Reason);
        }

        return extra.ToByteArray();
    }
}
