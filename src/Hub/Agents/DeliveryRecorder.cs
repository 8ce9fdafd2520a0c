using FleetNet.Hub.Storage;
using FleetNet.Protocol.V1;
using Npgsql;

namespace FleetNet.Hub.Agents;

/// <summary>
/// Keeps the per-agent delivery accounts beside the ledger: the gaps the agent reported, and what the hub
/// refused or recognised as a replay (the agent's own counters are stored by the ingest writer, see
/// <c>EpochCounters</c>). Gaps are keyed by the batch they came in, so a replayed batch never counts them twice.
/// </summary>
internal sealed class DeliveryRecorder(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// Records the batch's Gaps. Runs before the batch is written: idempotent, so a batch that fails to
    /// store and is replayed later records them once.
    /// </summary>
    public async Task RecordGapsAsync(long hostId, Batch batch, CancellationToken cancellationToken)
    {
        if (batch.Gaps.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        await using var sql = dataSource.CreateBatch();
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
            gap.Parameters.Add(new() { Value = Bigint.Clamp(g.BatchesLost) });
            gap.Parameters.Add(new() { Value = Bigint.Clamp(g.SamplesLost) });
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
}
