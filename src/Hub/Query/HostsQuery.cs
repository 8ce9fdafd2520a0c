using System.Text.Json;
using Npgsql;

namespace FleetNet.Hub.Query;

/// <summary>Every host that ever connected, most recently seen first.</summary>
internal sealed class HostsQuery(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<HostRow>> RunAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT name, machine_id, kernel, agent_version, fidelity, collectors, labels::text, first_seen, last_seen
            FROM hosts ORDER BY last_seen DESC, name
            """);
        var rows = new List<HostRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new HostRow(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<string[]>(5),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6)) ?? [],
                reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return rows;
    }
}
