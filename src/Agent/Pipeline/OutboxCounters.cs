namespace FleetNet.Agent.Pipeline;

/// <summary>Running totals since this agent's epoch began, as every batch reports them (<c>AgentCounters</c>).</summary>
internal readonly record struct OutboxCounters(ulong BatchesSent, ulong BatchesRejected, ulong BatchesLost, ulong SamplesLost);
