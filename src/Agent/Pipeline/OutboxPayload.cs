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
    public static byte[] Append(byte[] payload, int stringCount, List<SpoolLoss> losses, OutboxCounters counters)
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

        var tail = extra.ToByteArray();
        var result = new byte[payload.Length + tail.Length];
        payload.CopyTo(result, 0);
        tail.CopyTo(result, payload.Length);
        return result;
    }
}
