using System.ComponentModel.DataAnnotations;

namespace FleetNet.Hub.Ingest;

/// <summary>How the ingest writer coalesces batches into transactions. Bound from the <c>Writer</c> section.</summary>
internal sealed class BatchWriterOptions
{
    /// <summary>Batches waiting for a writer; callers wait (and agents get no ack) while it is full.</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>A transaction takes batches until it holds this many sample rows.</summary>
    [Range(1, 10_000_000)]
    public int MaxRowsPerTransaction { get; set; } = 20_000;

    /// <summary>
    /// Writer loops, each with its own connection and transaction. One is the cheapest per sample (two cost the server
    /// a third more CPU per sample on a 2-core machine: smaller transactions, waits on the shared name_1m rows).
    /// </summary>
    [Range(1, 64)]
    public int Writers { get; set; } = 1;
}
