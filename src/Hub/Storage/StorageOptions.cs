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
}
