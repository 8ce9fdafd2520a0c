using FleetNet.Hub.Rollups;
using Npgsql;

namespace FleetNet.Hub.Query;

/// <summary>
/// Splits a window (from, to] into segments, each answered by the coarsest table that is exact for it:
/// the whole buckets of a level that the level has computed (below its frontier), the edges from finer
/// levels, the rest from raw samples. The answer is exact whatever the window.
/// </summary>
internal static class SourcePlanner
{
    /// <param name="minutesCurrent">
    /// The query reads the <c>name_*</c> family, whose minute level the ingest writer keeps current: every minute
    /// counts as computed there, whatever the rollup job's 1-minute frontier.
    /// </param>
    public static async Task<IReadOnlyList<Segment>> PlanAsync(NpgsqlConnection connection, DateTimeOffset from, DateTimeOffset to, TimeSpan coarsest,
        CancellationToken cancellationToken, bool minutesCurrent = false)
    {
        var frontiers = new Dictionary<string, DateTimeOffset>();
        await using (var command = new NpgsqlCommand("""
            SELECT w.level, least(w.watermark, (SELECT min(d.bucket) FROM rollup_dirty d WHERE d.level = w.level))
            FROM rollup_watermarks w
            """, connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                frontiers[reader.GetString(0)] = reader.GetFieldValue<DateTimeOffset>(1);
            }
        }

        if (minutesCurrent)
        {
            frontiers[RollupLevel.Minute.Name] = DateTimeOffset.MaxValue;
        }

        var levels = RollupLevel.All.Where(l => l.Size <= coarsest && frontiers.ContainsKey(l.Name)).Reverse().ToList();
        var segments = new List<Segment>();
        Plan(from, to, levels, frontiers, segments);
        return segments;
    }

    public static string SourceOf(IReadOnlyList<Segment> segments)
    {
        string[] order = ["1d", "1h", "1m", "raw"];
        foreach (var s in order)
        {
            if (segments.Any(x => x.Source == s))
            {
                return s;
            }
        }

        return "raw";
    }

    private static void Plan(DateTimeOffset from, DateTimeOffset to, List<RollupLevel> levels, Dictionary<string, DateTimeOffset> frontiers, List<Segment> into)
    {
        if (from >= to)
        {
            return;
        }

        for (var i = 0; i < levels.Count; i++)
        {
            var level = levels[i];
            // Buckets [a, b) hold samples with time in (a, b]: exactly the window's (from, to] middle.
            var a = Buckets.Ceiling(from, level.Size);
            var b = Buckets.Floor(to, level.Size);
            if (frontiers[level.Name] < b)
            {
                b = Buckets.Floor(frontiers[level.Name], level.Size);
            }

            if (a < b)
            {
                var finer = levels.GetRange(i + 1, levels.Count - i - 1);
                Plan(from, a, finer, frontiers, into);
                into.Add(new Segment(level.Name, a, b));
                Plan(b, to, finer, frontiers, into);
                return;
            }
        }

        into.Add(new Segment("raw", from, to));
    }
}
