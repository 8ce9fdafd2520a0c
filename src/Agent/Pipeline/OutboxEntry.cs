namespace FleetNet.Agent.Pipeline;

/// <summary>One encoded batch waiting for the hub's ack.</summary>
internal sealed record OutboxEntry(ulong Seq, byte[] Payload);
