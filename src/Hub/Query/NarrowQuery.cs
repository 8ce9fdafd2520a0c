using Npgsql;

namespace FleetNet.Hub.Query;

/// <summary>
/// A query narrowed to one host or label reads a few hundred rows by index; starting parallel workers for it
/// costs more than the scan (measured: most of a per-host top-N's time on a busy 2-core server). Such queries run
/// in a transaction with parallel workers off (SET LOCAL); fleet-wide ones keep them.
/// </summary>
internal static class NarrowQuery
{
    public static async Task<NpgsqlTransaction?> BeginAsync(NpgsqlConnection connection, QueryFilters filters, CancellationToken cancellationToken)
    {
        if (filters.Host is null && filters.LabelKey is null)
        {
            return null;
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var set = new NpgsqlCommand("SET LOCAL max_parallel_workers_per_gather = 0", connection, transaction);
        await set.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }
}
