using FleetNet.Agent.Spool;

namespace FleetNet.Agent.Pipeline;

/// <summary>What the outbox keeps per batch: its payload in memory, or only where it lies in the spool.</summary>
internal sealed record OutboxItem(ulong Position, ulong Epoch, ulong Seq, long StartUnixMs, long EndUnixMs, uint Samples, byte[]? Payload, SpoolRecord? Record);
