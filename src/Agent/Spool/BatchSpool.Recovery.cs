namespace FleetNet.Agent.Spool;

internal sealed partial class BatchSpool
{
    private void Recover()
    {
        var ids = new List<long>();
        foreach (var path in Directory.GetFiles(_directory, "*.seg"))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), out var id) && id > 0)
            {
                ids.Add(id);
            }
        }

        ids.Sort();
        var previousEnd = 0L;
        foreach (var id in ids)
        {
            var segment = new SpoolSegment(_directory, id);
            var data = File.ReadAllBytes(segment.DataPath);
            var scan = SpoolSegmentScan.Scan(id, data);
            var released = segment.ReadReleases();
            foreach (var corrupt in scan.Corrupt)
            {
                // Counted once: its offset goes into the release log so later restarts pass over it silently.
                if (released.Add(corrupt))
                {
                    RecoveryLosses.Add(new SpoolLoss(1, 0, previousEnd, NextStart(scan, corrupt, previousEnd), "spool record corrupt"));
                    segment.WriteRelease(corrupt);
                }
            }

            foreach (var record in scan.Records)
            {
                previousEnd = Math.Max(previousEnd, record.Header.EndUnixMs);
                if (!released.Contains(record.Offset))
                {
                    Recovered.Add(record);
                    segment.Live++;
                }
            }

            if (scan.TornBytes > 0)
            {
                Log.TornRecord(_logger, segment.DataPath, scan.ValidLength, scan.TornBytes);
                RecoveryLosses.Add(new SpoolLoss(1, 0, previousEnd, previousEnd, "spool record torn (agent stopped mid-write)"));
                using var file = new FileStream(segment.DataPath, FileMode.Open, FileAccess.Write);
                file.SetLength(scan.ValidLength);
                file.Flush(flushToDisk: _fsync);
            }

            segment.Length = scan.ValidLength;
            segment.Dispose();
            _segments.Add(id, segment);
            _bytes += segment.Length;
            if (segment.Live == 0)
            {
                DeleteSegment(segment);
            }
        }

        Log.Recovered(_logger, _directory, Recovered.Count, _bytes, RecoveryLosses.Count);
    }

    private static long NextStart(SpoolSegmentScan scan, long offset, long fallback)
    {
        foreach (var record in scan.Records)
        {
            if (record.Offset > offset)
            {
                return Math.Max(record.Header.StartUnixMs, fallback);
            }
        }

        return fallback;
    }
}
