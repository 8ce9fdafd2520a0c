using System.Net;
using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// Binary COPY of the new batches of one transaction, one COPY per table: the busy tables (processes, interfaces,
/// endpoints) through <see cref="CopyRowWriter"/>, into the partitions named by the suffix when the writer gives one,
/// the rest through Npgsql's importer.
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

        if (counts[1] > 0)
        {
            await using var copy = await CopyRowWriter.BeginAsync(connection,
                $"COPY interface_samples{rawTableSuffix} (time, host_id, interface_id, interval_ms, rx_bytes, tx_bytes, rx_packets, tx_packets, rx_errors, tx_errors, rx_dropped, tx_dropped, speed_mbps, reset) FROM STDIN (FORMAT BINARY)",
                cancellationToken);
            foreach (var p in batches)
            {
                foreach (var s in p.Batch.Interfaces)
                {
                    if (copy.Full)
                    {
                        await copy.FlushAsync(cancellationToken);
                    }

                    copy.StartRow(14);
                    copy.TimestampFromUnixMs(p.Batch.StartUnixMs + s.OffsetMs);
                    copy.Int64(p.HostId);
                    copy.Int64(ids.Interfaces[new InterfaceKey(p.HostId, p.Batch.Strings[(int)s.Name])]);
                    copy.Int32((int)s.IntervalMs);
                    copy.Int64((long)s.RxBytes);
                    copy.Int64((long)s.TxBytes);
                    copy.Int64((long)s.RxPackets);
                    copy.Int64((long)s.TxPackets);
                    copy.Int64((long)s.RxErrors);
                    copy.Int64((long)s.TxErrors);
                    copy.Int64((long)s.RxDropped);
                    copy.Int64((long)s.TxDropped);
                    copy.Int32((int)s.SpeedMbps);
                    copy.Boolean(s.Reset);
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
