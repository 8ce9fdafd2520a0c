namespace FleetNet.Agent.Pipeline;

/// <summary>What the hub did with this agent's batches since start.</summary>
internal sealed class HubStatistics
{
    private long _stored;
    private long _duplicates;
    private long _rejected;
    private long _sessions;

    /// <summary>Batches the hub acked as stored now.</summary>
    public long Stored => Interlocked.Read(ref _stored);

    /// <summary>Batches the hub acked as already stored (replays).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Batches the hub refused for good (INVALID_ARGUMENT) and the agent dropped.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Streams opened to the hub.</summary>
    public long Sessions => Interlocked.Read(ref _sessions);

    public void CountStored() => Interlocked.Increment(ref _stored);

    public void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    public void CountRejected() => Interlocked.Increment(ref _rejected);

    public void CountSession() => Interlocked.Increment(ref _sessions);
}
