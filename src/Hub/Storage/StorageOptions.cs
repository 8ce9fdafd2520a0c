using System.ComponentModel.DataAnnotations;

namespace FleetNet.Hub.Storage;

/// <summary>Where the hub keeps its data. Bound from the <c>Storage</c> configuration section.</summary>
internal sealed class StorageOptions
{
    /// <summary>Npgsql connection string of the PostgreSQL (or TimescaleDB) database.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Host=127.0.0.1;Port=5432;Database=fleetnet;Username=fleetnet";

    /// <summary>Use the timescaledb extension when the server offers it (hypertables for sample tables).</summary>
    public bool UseTimescaleDb { get; set; } = true;

    /// <summary>Chunk interval of the sample hypertables, when TimescaleDB is used.</summary>
    public TimeSpan ChunkInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>TimescaleDB compresses raw and 1-minute chunks older than this.</summary>
    public TimeSpan CompressAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Most connections this hub opens to the database, all uses together: the ingest writers
    /// (<c>Writer:Writers</c>), Hangfire (<see cref="JobConnections"/>, when jobs run) and the rest (agent hellos,
    /// queries, health checks) share it. Beyond it callers wait for a free connection instead of exhausting the
    /// server's <c>max_connections</c>; budget replicas × this below the server's limit.
    /// </summary>
    [Range(4, 10_000)]
    public int MaxConnections { get; set; } = 20;

    /// <summary>The part of <see cref="MaxConnections"/> that Hangfire's own pool may use (2 workers plus its schedulers).</summary>
    [Range(2, 1_000)]
    public int JobConnections { get; set; } = 4;
}
