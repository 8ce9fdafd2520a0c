using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetNet.Hub.Storage;

/// <summary>
/// Drops whole partitions (plain PostgreSQL) or chunks (TimescaleDB) older than each table's retention,
/// and creates the partitions of the days ahead. Never deletes rows one by one.
/// </summary>
internal sealed partial class RetentionJob(NpgsqlDataSource dataSource, TimeProvider time, IOptions<RetentionOptions> options, ILogger<RetentionJob> logger)
{
    /// <summary>Applies retention to one table; returns what was dropped.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(string tableName, CancellationToken cancellationToken = default)
    {
        var table = TimeTables.All.FirstOrDefault(t => t.Name == tableName)
            ?? throw new ArgumentException($"'{tableName}' is not a time table", nameof(tableName));
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var layout = await PartitionMaintenance.DetectLayoutAsync(connection, cancellationToken);
        if (layout == StorageLayout.Partitioned)
        {
            await PartitionMaintenance.EnsureAsync(connection, table, now, now + options.Value.CreateAhead, cancellationToken);
        }

        if (options.Value.For(table.Retention) is not { } keep)
        {
            return [];
        }

        var dropped = await PartitionMaintenance.DropOlderThanAsync(connection, layout, table, now - keep, cancellationToken);
        foreach (var name in dropped)
        {
            LogDropped(table.Name, name);
        }

        return dropped;
    }

    /// <summary>Every table in turn.</summary>
    public async Task RunAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in TimeTables.All)
        {
            await RunAsync(table.Name, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention of {Table}: dropped {Partition}")]
    private partial void LogDropped(string table, string partition);
}
