using System.Net;
using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// Binary COPY of the new batches of one transaction, one COPY per table: the busy tables (processes, endpoints)
/// through <see cref="CopyRowWriter"/>, into the partitions named by the suffix when the writer gives one, the rest
/// through Npgsql's importer. The few interface rows go with the statements after the COPY (<see cref="Interfaces"/>):
/// a COPY of its own cost two round trips per transaction.
/// </summary>
internal static class SampleCopier
{
    public static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<PendingWrite> batches, DimensionIds ids, string rawTableSuffix, CancellationToken cancellationToken)
    {
        var counts = new int[5];
        foreach (var p in batches)
        {
            counts[0] += p.Batch.Processes.Count;
            counts[1] += p.Batch.Interfaces.Count;
            counts[2] += p.Batch.Endpoints.Count;
            counts[3] += p.Batch.ConntrackFlows.Count;
            counts[4] += p.Batch.Unattributed.Count + (p.Batch.ConntrackTable is null ? 0 : 1);
        }

        if (counts[0] > 0)
        {
            await using var copy = await CopyRowWriter.BeginAsync(connection,
                $"COPY process_samples{rawTableSuffix} (time, host_id, process_id, protocol, interval_ms, tx_bytes, rx_bytes, tx_calls, rx_calls) FROM STDIN (FORMAT BINARY)",
                cancellationToken);
            foreach (var p in batches)
            {
                foreach (var s in p.Batch.Processes)
                {
                    if (copy.Full)
                    {
                        await copy.FlushAsync(cancellationToken);
                    }

                    copy.StartRow(9);
                    copy.TimestampFromUnixMs(p.Batch.StartUnixMs + s.OffsetMs);
                    copy.Int64(p.HostId);
                    copy.Int64(ids.Processes[new ProcessKey(p.HostId, s.Pid, s.StartUnixMs)]);
                    copy.Int16((short)s.Protocol);
                    copy.Int32((int)s.IntervalMs);
                    copy.Int64((long)s.TxBytes);
                    copy.Int64((long)s.RxBytes);
                    copy.Int64((long)s.TxCalls);
                    copy.Int64((long)s.RxCalls);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        if (counts[2] > 0)
        {
            await using var copy = await CopyRowWriter.BeginAsync(connection,
                $"COPY endpoint_samples{rawTableSuffix} (time, host_id, process_id, endpoint_id, local_port, interval_ms, tx_bytes, rx_bytes, tx_calls, rx_calls, other_endpoints) FROM STDIN (FORMAT BINARY)",
                cancellationToken);
            foreach (var p in batches)
            {
                foreach (var s in p.Batch.Endpoints)
                {
                    if (copy.Full)
                    {
                        await copy.FlushAsync(cancellationToken);
                    }

                    copy.StartRow(11);
                    copy.TimestampFromUnixMs(p.Batch.StartUnixMs + s.OffsetMs);
                    copy.Int64(p.HostId);
                    copy.Int64(ids.Processes[new ProcessKey(p.HostId, s.Pid, s.StartUnixMs)]);
                    copy.Int64(ids.Endpoints[EndpointDimension.Key(p.HostId, s)]);
                    copy.Int32((int)s.LocalPort);
                    copy.Int32((int)s.IntervalMs);
                    copy.Int64((long)s.TxBytes);
                    copy.Int64((long)s.RxBytes);
                    copy.Int64((long)s.TxCalls);
                    copy.Int64((long)s.RxCalls);
                    copy.Int32((int)s.OtherEndpoints);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        if (counts[3] > 0)
        {
            await CopyFlowsAsync(connection, batches, cancellationToken);
        }

        if (counts[4] > 0)
        {
            await CopyHostSeriesAsync(connection, batches, cancellationToken);
        }
    }

    /// <summary>The interface samples as one INSERT from arrays, sent with the closing statements; null when there are none.</summary>
    public static NpgsqlBatchCommand? Interfaces(IReadOnlyList<PendingWrite> batches, DimensionIds ids, string rawTableSuffix)
    {
        var count = 0;
        foreach (var p in batches)
        {
            count += p.Batch.Interfaces.Count;
        }

        if (count == 0)
        {
            return null;
        }

        var times = new DateTimeOffset[count];
        var hosts = new long[count];
        var interfaces = new long[count];
        var intervals = new int[count];
        var speeds = new int[count];
        var resets = new bool[count];
        var counters = new long[8][];
        for (var c = 0; c < counters.Length; c++)
        {
            counters[c] = new long[count];
        }

        var i = 0;
        foreach (var p in batches)
        {
            foreach (var s in p.Batch.Interfaces)
            {
                times[i] = Time(p.Batch, s.OffsetMs);
                hosts[i] = p.HostId;
                interfaces[i] = ids.Interfaces[new InterfaceKey(p.HostId, p.Batch.Strings[(int)s.Name])];
                intervals[i] = (int)s.IntervalMs;
                (counters[0][i], counters[1][i], counters[2][i], counters[3][i]) = ((long)s.RxBytes, (long)s.TxBytes, (long)s.RxPackets, (long)s.TxPackets);
                (counters[4][i], counters[5][i], counters[6][i], counters[7][i]) = ((long)s.RxErrors, (long)s.TxErrors, (long)s.RxDropped, (long)s.TxDropped);
                speeds[i] = (int)s.SpeedMbps;
                resets[i] = s.Reset;
                i++;
            }
        }

        var command = new NpgsqlBatchCommand($"""
            INSERT INTO interface_samples{rawTableSuffix} (time, host_id, interface_id, interval_ms, rx_bytes, tx_bytes, rx_packets, tx_packets,
                rx_errors, tx_errors, rx_dropped, tx_dropped, speed_mbps, reset)
            SELECT * FROM unnest($1::timestamptz[], $2::bigint[], $3::bigint[], $4::integer[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
                $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::integer[], $14::boolean[])
            """);
        foreach (var values in (object[])[times, hosts, interfaces, intervals, .. counters, speeds, resets])
        {
            command.Parameters.Add(new NpgsqlParameter { Value = values });
        }

        return command;
    }

    private static async Task CopyFlowsAsync(NpgsqlConnection connection, IReadOnlyList<PendingWrite> batches, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync("""
            COPY conntrack_flows (time, host_id, interval_ms, protocol, orig_src, orig_dst, orig_src_port, orig_dst_port,
                reply_src, reply_dst, reply_src_port, reply_dst_port, orig_bytes, orig_packets, reply_bytes, reply_packets, zone, mark)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        foreach (var p in batches)
        {
            foreach (var f in p.Batch.ConntrackFlows)
            {
                copy.StartRow();
                copy.Write(Time(p.Batch, f.OffsetMs), NpgsqlDbType.TimestampTz);
                copy.Write(p.HostId, NpgsqlDbType.Bigint);
                copy.Write((int)f.IntervalMs, NpgsqlDbType.Integer);
                copy.Write((short)f.Protocol, NpgsqlDbType.Smallint);
                WriteAddress(copy, f.OrigSrc);
                WriteAddress(copy, f.OrigDst);
                copy.Write((int)f.OrigSrcPort, NpgsqlDbType.Integer);
                copy.Write((int)f.OrigDstPort, NpgsqlDbType.Integer);
                WriteAddress(copy, f.ReplySrc);
                WriteAddress(copy, f.ReplyDst);
                copy.Write((int)f.ReplySrcPort, NpgsqlDbType.Integer);
                copy.Write((int)f.ReplyDstPort, NpgsqlDbType.Integer);
                copy.Write((long)f.OrigBytes, NpgsqlDbType.Bigint);
                copy.Write((long)f.OrigPackets, NpgsqlDbType.Bigint);
                copy.Write((long)f.ReplyBytes, NpgsqlDbType.Bigint);
                copy.Write((long)f.ReplyPackets, NpgsqlDbType.Bigint);
                copy.Write((int)f.Zone, NpgsqlDbType.Integer);
                copy.Write((long)f.Mark, NpgsqlDbType.Bigint);
            }
        }

        await copy.CompleteAsync(cancellationToken);
    }

    private static async Task CopyHostSeriesAsync(NpgsqlConnection connection, IReadOnlyList<PendingWrite> batches, CancellationToken cancellationToken)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY unattributed_samples (time, host_id, interval_ms, rx_bytes, tx_bytes) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var p in batches)
            {
                foreach (var u in p.Batch.Unattributed)
                {
                    copy.StartRow();
                    copy.Write(Time(p.Batch, u.OffsetMs), NpgsqlDbType.TimestampTz);
                    copy.Write(p.HostId, NpgsqlDbType.Bigint);
                    copy.Write((int)u.IntervalMs, NpgsqlDbType.Integer);
                    copy.Write((long)u.RxBytes, NpgsqlDbType.Bigint);
                    copy.Write((long)u.TxBytes, NpgsqlDbType.Bigint);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY conntrack_table (time, host_id, available, reason, entries, max_entries, accounting) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var p in batches)
            {
                if (p.Batch.ConntrackTable is not { } t)
                {
                    continue;
                }

                copy.StartRow();
                copy.Write(DateTimeOffset.FromUnixTimeMilliseconds(p.Batch.EndUnixMs), NpgsqlDbType.TimestampTz);
                copy.Write(p.HostId, NpgsqlDbType.Bigint);
                copy.Write(t.Available, NpgsqlDbType.Boolean);
                copy.Write(BatchStrings.Get(p.Batch, t.Reason), NpgsqlDbType.Text);
                copy.Write((long)t.Entries, NpgsqlDbType.Bigint);
                copy.Write((long)t.MaxEntries, NpgsqlDbType.Bigint);
                copy.Write(t.Accounting, NpgsqlDbType.Boolean);
            }

            await copy.CompleteAsync(cancellationToken);
        }
    }

    private static void WriteAddress(NpgsqlBinaryImporter copy, ByteString address)
    {
        if (address.Length is 4 or 16)
        {
            copy.Write(new IPAddress(address.Span), NpgsqlDbType.Inet);
        }
        else
        {
            copy.WriteNull();
        }
    }

    public static DateTimeOffset Time(Protocol.V1.Batch batch, uint offsetMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(batch.StartUnixMs + offsetMs);
}
