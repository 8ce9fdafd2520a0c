using FleetNet.Protocol.V1;
using Npgsql;
using NpgsqlTypes;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// Stores one batch in one transaction: the ledger row first (a replay stops there), then the process
/// dimension rows, then the samples by binary COPY. Returns only after commit, so an ack means stored.
/// </summary>
internal sealed class BatchWriter(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Returns false when (host, epoch, seq) was stored before; nothing is written then.</summary>
    public async Task<bool> WriteAsync(long hostId, Batch batch, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var ledger = new NpgsqlCommand("""
            INSERT INTO ingest_ledger (host_id, epoch, seq, received_at, samples)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT DO NOTHING
            """, connection))
        {
            ledger.Parameters.Add(new() { Value = hostId });
            ledger.Parameters.Add(new() { Value = (long)batch.Epoch });
            ledger.Parameters.Add(new() { Value = (long)batch.Seq });
            ledger.Parameters.Add(new() { Value = time.GetUtcNow() });
            ledger.Parameters.Add(new() { Value = batch.Interfaces.Count + batch.Processes.Count });
            if (await ledger.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        if (batch.Processes.Count > 0)
        {
            var processIds = await ProcessDimension.ResolveAsync(connection, hostId, batch, cancellationToken);
            await CopyProcessSamplesAsync(connection, hostId, batch, processIds, cancellationToken);
        }

        if (batch.Interfaces.Count > 0)
        {
            await CopyInterfaceSamplesAsync(connection, hostId, batch, cancellationToken);
        }

        await using (var seen = new NpgsqlCommand("UPDATE hosts SET last_seen = greatest(last_seen, $2) WHERE id = $1", connection))
        {
            seen.Parameters.Add(new() { Value = hostId });
            seen.Parameters.Add(new() { Value = time.GetUtcNow() });
            await seen.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task CopyProcessSamplesAsync(NpgsqlConnection connection, long hostId, Batch batch, long[] processIds, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY process_samples (time, host_id, process_id, protocol, interval_ms, tx_bytes, rx_bytes, tx_calls, rx_calls) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        for (var i = 0; i < batch.Processes.Count; i++)
        {
            var s = batch.Processes[i];
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(SampleTime(batch, s.OffsetMs), NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(hostId, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(processIds[i], NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync((short)s.Protocol, NpgsqlDbType.Smallint, cancellationToken);
            await copy.WriteAsync((int)s.IntervalMs, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync((long)s.TxBytes, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync((long)s.RxBytes, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync((long)s.TxCalls, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync((long)s.RxCalls, NpgsqlDbType.Bigint, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private static async Task CopyInterfaceSamplesAsync(NpgsqlConnection connection, long hostId, Batch batch, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY interface_samples (time, host_id, interface, interval_ms, rx_bytes, tx_bytes, rx_packets, tx_packets, rx_errors, tx_errors, rx_dropped, tx_dropped, speed_mbps, reset) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var s in batch.Interfaces)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(SampleTime(batch, s.OffsetMs), NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(hostId, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(batch.Strings[(int)s.Name], NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync((int)s.IntervalMs, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync((long)s.RxBytes, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync((long)s.TxBytes, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync((long)s.RxPackets, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync((long)s.TxPackets, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync((long)s.RxErrors, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync((long)s.TxErrors, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync((long)s.RxDropped, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync((long)s.TxDropped, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync((int)s.SpeedMbps, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(s.Reset, NpgsqlDbType.Boolean, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private static DateTimeOffset SampleTime(Batch batch, uint offsetMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(batch.StartUnixMs + offsetMs);
}
