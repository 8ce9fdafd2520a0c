using FleetNet.Hub.Storage;
using Npgsql;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// The agents' own counters (<c>AgentCounters</c>, carried by every batch) for <c>agent_epoch_counters</c>, written in
/// the ingest transaction as one statement for the whole group instead of a statement and a commit per batch. Per
/// (host, epoch) only the batch with the highest seq counts (the statement keeps the latest anyway), in one sorted
/// order so concurrent writers lock the rows in the same order.
/// </summary>
internal static class EpochCounters
{
    /// <summary>The upsert of the group's latest counters per (host, epoch); null when no batch carries counters.</summary>
    public static NpgsqlBatchCommand? Command(IReadOnlyList<PendingWrite> group, DateTimeOffset now)
    {
        var latest = new SortedDictionary<(long Host, long Epoch), PendingWrite>();
        foreach (var pending in group)
        {
            if (pending.Batch.Counters is null)
            {
                continue;
            }

            var key = (pending.HostId, (long)pending.Batch.Epoch);
            if (!latest.TryGetValue(key, out var seen) || seen.Batch.Seq < pending.Batch.Seq)
            {
                latest[key] = pending;
            }
        }

        if (latest.Count == 0)
        {
            return null;
        }

        var hosts = new long[latest.Count];
        var epochs = new long[latest.Count];
        var seqs = new long[latest.Count];
        var sent = new long[latest.Count];
        var rejected = new long[latest.Count];
        var lost = new long[latest.Count];
        var samplesLost = new long[latest.Count];
        var i = 0;
        foreach (var ((host, epoch), pending) in latest)
        {
            var c = pending.Batch.Counters;
            (hosts[i], epochs[i], seqs[i]) = (host, epoch, Bigint.Clamp(pending.Batch.Seq));
            (sent[i], rejected[i], lost[i], samplesLost[i]) = (Bigint.Clamp(c.BatchesSent), Bigint.Clamp(c.BatchesRejected), Bigint.Clamp(c.BatchesLost), Bigint.Clamp(c.SamplesLost));
            i++;
        }

        return new NpgsqlBatchCommand("""
            INSERT INTO agent_epoch_counters AS a (host_id, epoch, seq, batches_sent, batches_rejected, batches_lost, samples_lost, updated_at)
            SELECT h, e, s, bs, br, bl, sl, $8
            FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[]) WITH ORDINALITY
                AS t (h, e, s, bs, br, bl, sl, i)
            ORDER BY i
            ON CONFLICT (host_id, epoch) DO UPDATE SET
                seq = excluded.seq, batches_sent = excluded.batches_sent, batches_rejected = excluded.batches_rejected,
                batches_lost = excluded.batches_lost, samples_lost = excluded.samples_lost, updated_at = excluded.updated_at
            WHERE a.seq < excluded.seq
            """)
        {
            Parameters =
            {
                new NpgsqlParameter { Value = hosts }, new NpgsqlParameter { Value = epochs }, new NpgsqlParameter { Value = seqs },
                new NpgsqlParameter { Value = sent }, new NpgsqlParameter { Value = rejected }, new NpgsqlParameter { Value = lost },
                new NpgsqlParameter { Value = samplesLost }, new NpgsqlParameter { Value = now },
            },
        };
    }
}
