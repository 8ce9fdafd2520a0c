using Npgsql;

namespace FleetNet.Bench;

/// <summary>Bytes on disk per stored process sample (table + indexes, all partitions or chunks).</summary>
internal static class Storage
{
    public static async Task PrintBytesPerSampleAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var layout = new NpgsqlCommand("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'", connection);
        var timescale = (long)(await layout.ExecuteScalarAsync())! > 0;
        var sql = timescale
            ? "SELECT hypertable_size('process_samples'), (SELECT count(*) FROM process_samples)"
            : "SELECT sum(pg_total_relation_size(relid)), (SELECT count(*) FROM process_samples) FROM pg_partition_tree('process_samples')";
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var bytes = Convert.ToDouble(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
        var rows = reader.GetInt64(1);
        Console.WriteLine($"storage ({(timescale ? "TimescaleDB, uncompressed chunks" : "PostgreSQL partitions")}): process_samples {bytes / 1e6:F1} MB for {rows:N0} rows = {bytes / Math.Max(rows, 1):F1} bytes/sample (table + indexes)");
        if (timescale)
        {
            await reader.CloseAsync();
            await using var compress = new NpgsqlCommand("SELECT count(compress_chunk(c, true)) FROM show_chunks('process_samples') c", connection);
            compress.CommandTimeout = 600;
            await compress.ExecuteNonQueryAsync();
            await using var after = new NpgsqlCommand("SELECT hypertable_size('process_samples')", connection);
            var compressed = Convert.ToDouble(await after.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine($"storage (TimescaleDB, compressed): {compressed / 1e6:F1} MB = {compressed / Math.Max(rows, 1):F1} bytes/sample");
        }
    }
}
