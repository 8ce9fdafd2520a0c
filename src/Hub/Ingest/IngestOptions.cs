using System.ComponentModel.DataAnnotations;

namespace FleetNet.Hub.Ingest;

/// <summary>Limits on what agents may send. Bound from the <c>Ingest</c> configuration section.</summary>
internal sealed class IngestOptions
{
    /// <summary>Most samples (interface + process) one batch may carry.</summary>
    [Range(1, 10_000_000)]
    public int MaxSamplesPerBatch { get; set; } = 200_000;

    /// <summary>Longest string in a batch's string table (command lines are the long ones).</summary>
    [Range(16, 1_000_000)]
    public int MaxStringLength { get; set; } = 4096;

    /// <summary>Largest gRPC message the hub accepts (one encoded batch); larger ones end the stream with RESOURCE_EXHAUSTED.</summary>
    [Range(64 * 1024, 256 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most string-table entries one batch may carry.</summary>
    [Range(16, 10_000_000)]
    public int MaxStringsPerBatch { get; set; } = 200_000;

    /// <summary>Most gap records one batch may carry.</summary>
    [Range(1, 1_000_000)]
    public int MaxGapsPerBatch { get; set; } = 1000;

    /// <summary>How far in the future of the hub's clock a batch may end (agent clock skew).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How old a batch may be (agents replay after outages, so this is long).</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(30);
}
