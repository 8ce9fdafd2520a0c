using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace FleetNet.Bench;

/// <summary>The yardstick: the same number of rows, of the same shape, by binary COPY on one connection, 20,000 rows per transaction.</summary>
internal static class RawCopy
{
    public sealed record Result(long Rows, TimeSpan Elapsed, double PostgresCpu);

    public static async Task<Result> RunAsync(string connectionString, BenchSettings settings, long rows)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var backend = connection.ProcessID;
        var cpuBefore = CpuTime.OfProcess(backend);
        var time = DateTimeOffset.UtcNow.AddMinutes(-30);
        var stop = Stopwatch.StartNew();
        long written = 0;
        while (written < rows && stop.Elapsed < TimeSpan.FromSeconds(settings.Seconds * 4))
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY process_samples (time, host_id, process_id, protocol, interval_ms, tx_bytes, rx_bytes, tx_calls, rx_calls) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = 0; i < 20_000 && written < rows; i++, written++)
                {
                    copy.StartRow();
                    copy.Write(time.AddMilliseconds(written % 600_000), NpgsqlDbType.TimestampTz);
                    copy.Write(1L + written % settings.Agents, NpgsqlDbType.Bigint);
                    copy.Write(1L + written % (settings.Agents * settings.Processes), NpgsqlDbType.Bigint);
                    copy.Write((short)1, NpgsqlDbType.Smallint);
                    copy.Write(10_000, NpgsqlDbType.Integer);
                    copy.Write(5_000_000L / (written % 100 + 1), NpgsqlDbType.Bigint);
                    copy.Write(2_500_000L / (written % 100 + 1), NpgsqlDbType.Bigint);
                    copy.Write(10L, NpgsqlDbType.Bigint);
                    copy.Write(10L, NpgsqlDbType.Bigint);
                }

                await copy.CompleteAsync();
            }

            await transaction.CommitAsync();
        }

        var elapsed = stop.Elapsed;
        return new Result(written, elapsed, CpuTime.OfProcess(backend) - cpuBefore);
    }
}
