using FleetNet.Protocol.V1;
using Microsoft.Extensions.Options;

namespace FleetNet.Hub.Ingest;

/// <summary>Checks a decoded batch before anything of it is written; returns the first problem found.</summary>
internal sealed class BatchValidator(IOptions<IngestOptions> options, TimeProvider time)
{
    private const long MaxSpanMs = 86_400_000;

    public string? Validate(Batch batch, ulong helloEpoch)
    {
        var limits = options.Value;
        // A restarted agent replays what its earlier epochs spooled on its new stream, so earlier epochs
        // of the same host are accepted; the ledger is keyed on (host, epoch, seq) either way.
        if (batch.Epoch == 0 || batch.Epoch > helloEpoch)
        {
            return $"batch epoch {batch.Epoch} is not in 1..{helloEpoch} (the stream's Hello epoch)";
        }

        if (batch.Seq == 0 || batch.Seq > long.MaxValue)
        {
            return $"batch seq {batch.Seq} is out of range (1..{long.MaxValue})";
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var span = batch.EndUnixMs - batch.StartUnixMs;
        if (span < 0 || span > MaxSpanMs)
        {
            return $"batch time range [{batch.StartUnixMs}, {batch.EndUnixMs}] is inverted or longer than a day";
        }

        if (batch.EndUnixMs > now + (long)limits.MaxClockSkew.TotalMilliseconds)
        {
            return $"batch ends {batch.EndUnixMs - now} ms after the hub's clock (at most {limits.MaxClockSkew} allowed)";
        }

        if (batch.StartUnixMs < now - (long)limits.MaxAge.TotalMilliseconds)
        {
            return $"batch starts more than {limits.MaxAge} before the hub's clock";
        }

        if (batch.Interfaces.Count + batch.Processes.Count > limits.MaxSamplesPerBatch)
        {
            return $"batch carries {batch.Interfaces.Count + batch.Processes.Count} samples (at most {limits.MaxSamplesPerBatch})";
        }

        if (batch.Strings.Count > limits.MaxStringsPerBatch)
        {
            return $"batch carries {batch.Strings.Count} strings (at most {limits.MaxStringsPerBatch})";
        }

        if (batch.Gaps.Count > limits.MaxGapsPerBatch)
        {
            return $"batch carries {batch.Gaps.Count} gap records (at most {limits.MaxGapsPerBatch})";
        }

        return ValidateStrings(batch, limits) ?? ValidateInterfaces(batch, span) ?? ValidateProcesses(batch, span);
    }

    private static string? ValidateStrings(Batch batch, IngestOptions limits)
    {
        if (batch.Strings.Count > 0 && batch.Strings[0].Length != 0)
        {
            return "string table entry 0 must be empty";
        }

        for (var i = 0; i < batch.Strings.Count; i++)
        {
            if (batch.Strings[i].Length > limits.MaxStringLength)
            {
                return $"string table entry {i} is {batch.Strings[i].Length} characters long (at most {limits.MaxStringLength})";
            }
        }

        return null;
    }

    private static string? ValidateInterfaces(Batch batch, long span)
    {
        for (var i = 0; i < batch.Interfaces.Count; i++)
        {
            var s = batch.Interfaces[i];
            if (s.Name == 0 || s.Name >= batch.Strings.Count)
            {
                return $"interface sample {i}: name index {s.Name} is not in the string table";
            }

            if (Timing(s.OffsetMs, s.IntervalMs, span) is { } timing)
            {
                return $"interface sample {i}: {timing}";
            }

            if (Math.Max(Math.Max(Math.Max(s.RxBytes, s.TxBytes), Math.Max(s.RxPackets, s.TxPackets)),
                    Math.Max(Math.Max(s.RxErrors, s.TxErrors), Math.Max(s.RxDropped, s.TxDropped))) > long.MaxValue)
            {
                return $"interface sample {i}: a counter exceeds {long.MaxValue}";
            }

            if (s.SpeedMbps > int.MaxValue)
            {
                return $"interface sample {i}: speed {s.SpeedMbps} Mb/s is out of range";
            }
        }

        return null;
    }

    private static string? ValidateProcesses(Batch batch, long span)
    {
        for (var i = 0; i < batch.Processes.Count; i++)
        {
            var s = batch.Processes[i];
            if (s.Comm >= batch.Strings.Count || s.Exe >= batch.Strings.Count
                || s.Cmdline >= batch.Strings.Count || s.Cgroup >= batch.Strings.Count)
            {
                return $"process sample {i}: a string index is not in the string table ({batch.Strings.Count} entries)";
            }

            if (Timing(s.OffsetMs, s.IntervalMs, span) is { } timing)
            {
                return $"process sample {i}: {timing}";
            }

            if (s.Pid == 0 || s.Pid > int.MaxValue)
            {
                return $"process sample {i}: pid {s.Pid} is out of range";
            }

            if (s.StartUnixMs <= 0 || s.StartUnixMs > batch.EndUnixMs)
            {
                return $"process sample {i}: start time {s.StartUnixMs} is not before the batch's end";
            }

            if (s.Protocol is not (IpProtocol.Tcp or IpProtocol.Udp or IpProtocol.Other))
            {
                return $"process sample {i}: protocol {s.Protocol} is not one of TCP, UDP, OTHER";
            }

            if (Math.Max(Math.Max(s.TxBytes, s.RxBytes), Math.Max(s.TxCalls, s.RxCalls)) > long.MaxValue)
            {
                return $"process sample {i}: a counter exceeds {long.MaxValue}";
            }
        }

        return null;
    }

    private static string? Timing(uint offsetMs, uint intervalMs, long span) =>
        offsetMs > span ? $"offset {offsetMs} ms lies outside the batch's {span} ms"
        : intervalMs == 0 || intervalMs > MaxSpanMs ? $"interval {intervalMs} ms is out of range (1 ms..1 day)"
        : null;
}
