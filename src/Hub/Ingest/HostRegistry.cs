using System.Text.Json;
using FleetNet.Protocol.V1;
using Npgsql;
using NpgsqlTypes;

namespace FleetNet.Hub.Ingest;

/// <summary>Records the host an agent speaks for, from its Hello, and returns the host's id.</summary>
internal sealed class HostRegistry(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<long> RegisterAsync(Hello hello, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO hosts (name, machine_id, boot_id, kernel, agent_version, fidelity, collectors, labels, first_seen, last_seen)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
            ON CONFLICT (name) DO UPDATE SET
                machine_id = excluded.machine_id, boot_id = excluded.boot_id, kernel = excluded.kernel,
                agent_version = excluded.agent_version, fidelity = excluded.fidelity,
                collectors = excluded.collectors, labels = excluded.labels, last_seen = excluded.last_seen
            RETURNING id
            """);
        command.Parameters.Add(new() { Value = hello.HostName });
        command.Parameters.Add(new() { Value = hello.MachineId });
        command.Parameters.Add(new() { Value = hello.BootId });
        command.Parameters.Add(new() { Value = hello.Kernel });
        command.Parameters.Add(new() { Value = hello.AgentVersion });
        command.Parameters.Add(new() { Value = hello.Fidelity.Name() });
        command.Parameters.Add(new() { Value = hello.Collectors.ToArray() });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(new Dictionary<string, string>(hello.Labels)), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The first problem with a Hello, or null.</summary>
    public static string? Validate(Hello hello)
    {
        if (hello.HostName.Length is 0 or > 253)
        {
            return "Hello.host_name must be 1 to 253 characters";
        }

        if (hello.Epoch == 0 || hello.Epoch > long.MaxValue)
        {
            return $"Hello.epoch {hello.Epoch} is out of range (1..{long.MaxValue})";
        }

        if (hello.Labels.Count > 64)
        {
            return $"Hello carries {hello.Labels.Count} labels (at most 64)";
        }

        foreach (var (key, value) in hello.Labels)
        {
            if (key.Length is 0 or > 64 || value.Length > 256)
            {
                return $"label '{key}' must have a 1-64 character key and a value of at most 256 characters";
            }
        }

        return null;
    }
}
