namespace FleetNet.Hub.Agents;

/// <summary>
/// One agent's (host's) delivery accounts. Batches: <c>Sent</c> is what the agent says it sent (its
/// AgentCounters, summed over its epochs), the rest is what the hub saw. <c>Lost</c> comes from the
/// gaps the agent reported.
/// </summary>
internal sealed record AgentDeliveryRow(
    string Host,
    long HostId,
    DateTimeOffset LastSeen,
    long LatestEpoch,
    long BatchesSent,
    long BatchesStored,
    long SamplesStored,
    long BatchesDuplicate,
    long BatchesRejected,
    string LastRejection,
    DateTimeOffset? LastRejectedAt,
    long Gaps,
    long BatchesLost,
    long SamplesLost,
    long AgentReportedRejected,
    long AgentReportedBatchesLost,
    long AgentReportedSamplesLost);
