namespace FleetNet.Agent.Spool;

/// <summary>Batches the agent lost before the hub had them: what the next batch reports as a gap.</summary>
internal readonly record struct SpoolLoss(ulong Batches, ulong Samples, long StartUnixMs, long EndUnixMs, string Reason);
