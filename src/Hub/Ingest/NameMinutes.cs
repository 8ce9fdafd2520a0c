using Npgsql;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// Keeps <c>name_1m</c> current at ingest: the process samples of one transaction summed per (minute, comm, exe)
/// and added to the table in the same transaction, so the fleet-wide per-program minutes are exact as soon as
/// the batches are committed (late samples included) and a top-N over the newest minutes reads no raw rows.
/// Keys go in one sorted order, so concurrent writers (or hubs) lock rows in the same order and never deadlock;
/// the statement runs last before commit, so the rows stay locked only for the commit.
/// </summary>
internal static class NameMinutes
{
    /// <summary>The upsert of the batches' per-program minute sums; null when they hold no process sample.</summary>
    public static NpgsqlBatchCommand? Command(IReadOnlyList<PendingWrite> batches)
    {
        var sums = new Dictionary<NameMinuteKey, long[]>();
        foreach (var p in batches)
        {
            var b = p.Batch;
            foreach (var s in b.Processes)
            {
                var key = new NameMinuteKey(Rollups.Buckets.MinuteOf(b.StartUnixMs + s.OffsetMs), b.Strings[(int)s.Comm], b.Strings[(int)s.Exe]);
                if (!sums.TryGetValue(key, out var sum))
                {
                    sums[key] = sum = new long[4];
                }

                sum[0] += (long)s.TxBytes;
                sum[1] += (long)s.RxBytes;
                sum[2] += (long)s.TxCalls;
                sum[3] += (long)s.RxCalls;
            }
        }

        if (sums.Count == 0)
        {
            return null;
        }

        var keys = new NameMinuteKey[sums.Count];
        sums.Keys.CopyTo(keys, 0);
        Array.Sort(keys);
        var buckets = new DateTimeOffset[keys.Length];
        var comms = new string[keys.Length];
        var exes = new string[keys.Length];
        var tx = new long[keys.Length];
        var rx = new long[keys.Length];
        var txCalls = new long[keys.Length];
        var rxCalls = new long[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var sum = sums[keys[i]];
            buckets[i] = DateTimeOffset.FromUnixTimeMilliseconds(keys[i].MinuteMs);
            comms[i] = keys[i].Comm;
            exes[i] = keys[i].Exe;
            (tx[i], rx[i], txCalls[i], rxCalls[i]) = (sum[0], sum[1], sum[2], sum[3]);
        }

        return new NpgsqlBatchCommand("""
            INSERT INTO name_1m AS n (bucket, comm, exe, tx_bytes, rx_bytes, tx_calls, rx_calls)
            SELECT bucket, comm, exe, tx, rx, txc, rxc FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[]) WITH ORDINALITY
                AS t (bucket, comm, exe, tx, rx, txc, rxc, i)
            ORDER BY i
            ON CONFLICT (bucket, comm, exe) DO UPDATE SET
                tx_bytes = n.tx_bytes + excluded.tx_bytes, rx_bytes = n.rx_bytes + excluded.rx_bytes,
                tx_calls = n.tx_calls + excluded.tx_calls, rx_calls = n.rx_calls + excluded.rx_calls
            """)
        {
            Parameters =
            {
                new NpgsqlParameter { Value = buckets }, new NpgsqlParameter { Value = comms }, new NpgsqlParameter { Value = exes },
                new NpgsqlParameter { Value = tx }, new NpgsqlParameter { Value = rx },
                new NpgsqlParameter { Value = txCalls }, new NpgsqlParameter { Value = rxCalls },
            },
        };
    }
}
