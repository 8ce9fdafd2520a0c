using FleetNet.Hub.Rollups;
using Npgsql;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// Marks the minutes below the 1-minute watermark that the samples fall into, so the rollup job recomputes them.
/// DO UPDATE (not DO NOTHING) locks the row, so a rollup run that is about to clear it waits for this commit and
/// sees these rows.
/// </summary>
internal static class LateMinutes
{
    /// <summary>The statement for the batches' minutes; null when they hold no process or interface sample.</summary>
    public static NpgsqlBatchCommand? Command(IReadOnlyList<PendingWrite> batches)
    {
        var minutes = new SortedSet<long>();
        foreach (var pending in batches)
        {
            var b = pending.Batch;
            var last = long.MinValue;
            foreach (var s in b.Processes)
            {
                // Samples of a batch mostly share one time: skip the set for a repeat of the previous minute.
                var minute = Buckets.MinuteOf(b.StartUnixMs + s.OffsetMs);
                if (minute != last)
                {
                    minutes.Add(minute);
                    last = minute;
                }
            }

            foreach (var s in b.Interfaces)
            {
                minutes.Add(Buckets.MinuteOf(b.StartUnixMs + s.OffsetMs));
            }
        }

        if (minutes.Count == 0)
        {
            return null;
        }

        var buckets = new DateTimeOffset[minutes.Count];
        var i = 0;
        foreach (var minute in minutes)
        {
            buckets[i++] = DateTimeOffset.FromUnixTimeMilliseconds(minute);
        }

        return new NpgsqlBatchCommand("""
            INSERT INTO rollup_dirty (level, bucket)
            SELECT '1m', b FROM unnest($1::timestamptz[]) AS b
            WHERE b < (SELECT watermark FROM rollup_watermarks WHERE level = '1m')
            ORDER BY b
            ON CONFLICT (level, bucket) DO UPDATE SET bucket = excluded.bucket
            """)
        {
            Parameters = { new NpgsqlParameter { Value = buckets } },
        };
    }
}
