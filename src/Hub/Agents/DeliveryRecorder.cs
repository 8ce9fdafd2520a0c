using FleetNet.Protocol.V1;
using Npgsql;

namespace FleetNet.Hub.Agents;

/// <summary>
/// Keeps the per-agent delivery accounts beside the ledger: the agent's own counters, the gaps it
/// reported, and what the hub refused or recognised as a replay. Counters and gaps are keyed by the
/// batch they came in, so a replayed batch never counts them twice.
/// </summary>
internal sealed class DeliveryRecorder(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// Records the batch's AgentCounters and Gaps. Runs before the batch is written: both are idempotent,
    /// so a batch that fails to store and is replayed later records them once.
    /// </summary>
    public async Task RecordReportsAsync(long hostId, Batch batch, CancellationToken cancellationToken)
    {
        if (batch.Counters is null && batch.Gaps.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        await using var sql = dataSource.CreateBatch();
        if (batch.Counters is { } c)
        {
            var counters = new NpgsqlBatchCommand("""
                INSERT INTO agent_epoch_counters (host_id, epoch, seq, batches_sent, batches_rejected, batches_lost, samples_lost, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (host_id, epoch) DO UPDATE SET
                    seq = excluded.seq, batches_sent = excluded.batches_sent, batches_rejected = excluded.batches_rejected,
                    batches_lost = excluded.batches_lost, samples_lost = excluded.samples_lost, updated_at = excluded.updated_at
                WHERE agent_epoch_counters.seq < excluded.seq
                """);
            counters.Parameters.Add(new() { Value = hostId });
            counters.Parameters.Add(new() { Value = (long)batch.Epoch });
            counters.Parameters.Add(new() { Value = (long)batch.Seq });
            counters.Parameters.Add(new() { Value = Clamp(c.BatchesSent) });
            counters.Parameters.Add(new() { Value = Clamp(c.BatchesRejected) });
            counters.Parameters.Add(new() { Value = Clamp(c.BatchesLost) });
            counters.Parameters.Add(new() { Value = Clamp(c.SamplesLost) });
            counters.Parameters.Add(new() { Value = now });
            sql.BatchCommands.Add(counters);
        }

        for (var i = 0; i < batch.Gaps.Count; i++)
        {
            var g = batch.Gaps[i];
            var gap = new NpgsqlBatchCommand("""
                INSERT INTO agent_gaps (host_id, epoch, seq, ordinal, start_time, end_time, batches_lost, samples_lost, reason, received_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT DO NOTHING
                """);
            gap.Parameters.Add(new() { Value = hostId });
            gap.Parameters.Add(new() { Value = (long)batch.Epoch });
            gap.Parameters.Add(new() { Value = (long)batch.Seq });
            gap.Parameters.Add(new() { Value = i });
            gap.Parameters.Add(new() { Value = DateTimeOffset.FromUnixTimeMilliseconds(g.StartUnixMs) });
            gap.Parameters.Add(new() { Value = DateTimeOffset.FromUnixTimeMilliseconds(g.EndUnixMs) });
            gap.Parameters.Add(new() { Value = Clamp(g.BatchesLost) });
            gap.Parameters.Add(new() { Value = Clamp(g.SamplesLost) });
            gap.Parameters.Add(new() { Value = g.Reason < batch.Strings.Count ? batch.Strings[(int)g.Reason] : "" });
            gap.Parameters.Add(new() { Value = now });
            sql.BatchCommands.Add(gap);
        }

        await sql.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Counts a batch that was already stored before (a replay).</summary>
    public Task RecordDuplicateAsync(long hostId, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO agent_delivery (host_id, batches_duplicate) VALUES ($1, 1)
            ON CONFLICT (host_id) DO UPDATE SET batches_duplicate = agent_delivery.batches_duplicate + 1
            """, cancellationToken, hostId);

    /// <summary>Counts a refused batch and keeps the reason.</summary>
    public Task RecordRejectedAsync(long hostId, string reason, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO agent_delivery (host_id, batches_rejected, last_rejection, last_rejected_at) VALUES ($1, 1, $2, $3)
            ON CONFLICT (host_id) DO UPDATE SET batches_rejected = agent_delivery.batches_rejected + 1,
                last_rejection = excluded.last_rejection, last_rejected_at = excluded.last_rejected_at
            """, cancellationToken, hostId, reason.Length > 1000 ? reason[..1000] : reason, time.GetUtcNow());

    private async Task ExecuteAsync(string text, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = dataSource.CreateCommand(text);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static long Clamp(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;
}
