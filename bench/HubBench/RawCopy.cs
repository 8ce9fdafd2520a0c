using System.Buffers.Binary;
using System.Diagnostics;
using Npgsql;

namespace FleetNet.Bench;

/// <summary>
/// The yardstick: a raw binary COPY of exactly the rows the measured batches produced (read back from the process,
/// interface and endpoint sample tables after the run), into the same tables, on one connection, in as many
/// transactions as the hub used (one ledger <c>received_at</c> per hub transaction). Only the COPY in is timed.
/// </summary>
internal static class RawCopy
{
    public sealed record Result(long Rows, int Transactions, TimeSpan Elapsed, double PostgresCpu, string Tables);

    private static readonly string[] Tables =
    [
        "process_samples (time, host_id, process_id, protocol, interval_ms, tx_bytes, rx_bytes, tx_calls, rx_calls)",
        "interface_samples (time, host_id, interface_id, interval_ms, rx_bytes, tx_bytes, rx_packets, tx_packets, rx_errors, tx_errors, rx_dropped, tx_dropped, speed_mbps, reset)",
        "endpoint_samples (time, host_id, process_id, endpoint_id, local_port, interval_ms, tx_bytes, rx_bytes, tx_calls, rx_calls, other_endpoints)",
    ];

    /// <summary>PGCOPY signature, flags 0, no header extension: what COPY TO STDOUT (FORMAT BINARY) starts with.</summary>
    private const int HeaderLength = 19;

    public static async Task<Result> RunAsync(string connectionString, string hostPrefix)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var hosts = $"(SELECT id FROM hosts WHERE name LIKE '{hostPrefix}%')";
        await using var count = new NpgsqlCommand($"SELECT count(DISTINCT received_at)::integer FROM ingest_ledger WHERE host_id IN {hosts}", connection);
        var transactions = Math.Max(1, (int)(await count.ExecuteScalarAsync())!);

        var data = new CopyData[Tables.Length];
        for (var t = 0; t < Tables.Length; t++)
        {
            var columns = Tables[t][(Tables[t].IndexOf('(') + 1)..^1];
            var table = Tables[t][..Tables[t].IndexOf(' ')];
            data[t] = await ReadAsync(connection, $"COPY (SELECT {columns} FROM {table} WHERE host_id IN {hosts}) TO STDOUT (FORMAT BINARY)");
        }

        var backend = connection.ProcessID;
        var cpuBefore = CpuTime.OfProcess(backend);
        var stop = Stopwatch.StartNew();
        for (var k = 0; k < transactions; k++)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            for (var t = 0; t < Tables.Length; t++)
            {
                // The k-th of `transactions` equal slices of each table's rows, as the hub's transactions mix them.
                var from = (int)((long)data[t].Rows * k / transactions);
                var to = (int)((long)data[t].Rows * (k + 1) / transactions);
                if (to > from)
                {
                    await using var copy = await connection.BeginRawBinaryCopyAsync($"COPY {Tables[t]} FROM STDIN (FORMAT BINARY)");
                    await copy.WriteAsync(data[t].Bytes.AsMemory(0, HeaderLength));
                    await copy.WriteAsync(data[t].Bytes.AsMemory(data[t].RowStarts[from], data[t].RowStarts[to] - data[t].RowStarts[from]));
                    await copy.WriteAsync(new byte[] { 0xff, 0xff });
                }
            }

            await transaction.CommitAsync();
        }

        var elapsed = stop.Elapsed;
        var rows = 0L;
        var tables = new List<string>();
        for (var t = 0; t < Tables.Length; t++)
        {
            rows += data[t].Rows;
            tables.Add($"{Tables[t][..Tables[t].IndexOf(' ')]} {data[t].Rows:N0}");
        }

        return new Result(rows, transactions, elapsed, CpuTime.OfProcess(backend) - cpuBefore, string.Join(", ", tables));
    }

    /// <summary>The bytes of a binary COPY TO STDOUT and where each row starts (RowStarts[Rows] is where the trailer starts).</summary>
    private sealed record CopyData(byte[] Bytes, int[] RowStarts, int Rows);

    private static async Task<CopyData> ReadAsync(NpgsqlConnection connection, string copyTo)
    {
        var buffer = new MemoryStream();
        await using (var stream = await connection.BeginRawBinaryCopyAsync(copyTo))
        {
            await stream.CopyToAsync(buffer);
        }

        var bytes = buffer.GetBuffer();
        var starts = new List<int>();
        var at = HeaderLength;
        while (true)
        {
            starts.Add(at);
            var fields = BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(at));
            if (fields < 0)
            {
                break;
            }

            at += 2;
            for (var f = 0; f < fields; f++)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
                at += 4 + Math.Max(length, 0);
            }
        }

        return new CopyData(bytes, [.. starts], starts.Count - 1);
    }
}
