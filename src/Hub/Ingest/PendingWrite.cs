using FleetNet.Protocol.V1;

namespace FleetNet.Hub.Ingest;

/// <summary>One caller's batch on its way into a coalesced transaction; completes after commit.</summary>
internal sealed class PendingWrite(long hostId, Batch batch)
{
    public long HostId { get; } = hostId;

    public Batch Batch { get; } = batch;

    public int Rows { get; } = batch.Processes.Count + batch.Interfaces.Count + batch.Endpoints.Count
        + batch.ConntrackFlows.Count + batch.Unattributed.Count + 1;

    /// <summary>True when stored, false when a duplicate; an exception when the transaction failed.</summary>
    public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
