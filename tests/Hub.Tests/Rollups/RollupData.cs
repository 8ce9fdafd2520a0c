using FleetNet.Hub.Tests.Ingest;
using FleetNet.Protocol.V1;
using Npgsql;

namespace FleetNet.Hub.Tests.Rollups;

/// <summary>Sends batches as an agent would and reads tables back, for rollup and query tests.</summary>
internal static class RollupData
{
    public static async Task SendAsync(HubFactory hub, string host, params Batch[] batches)
    {
        await using var client = await IngestClient.ConnectAsync(hub.CreateGrpcChannel(), TestBatches.Hello(host));
        foreach (var batch in batches)
        {
            var ack = await client.SendAsync(batch);
            Assert.True(ack.Code == 0, ack.Message);
        }
    }

    public static async Task<List<string>> RowsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.GetValue(i) switch
                {
                    DateTime t => t.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                    var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                };
            }

            rows.Add(string.Join(' ', values));
        }

        return rows;
    }
}
