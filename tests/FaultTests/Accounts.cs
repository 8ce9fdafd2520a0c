namespace FleetNet.FaultTests;

/// <summary>The hub's accounts for a fleet: batches (and samples) sent, stored, duplicate, rejected, lost, and what the sample table holds.</summary>
internal sealed record Accounts(
    long Sent,
    long Stored,
    long SamplesStored,
    long Duplicate,
    long Rejected,
    long Lost,
    long SamplesLost,
    long SampleRows,
    long SampleRxSum,
    long DistinctSamples);
