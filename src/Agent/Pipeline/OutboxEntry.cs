namespace FleetNet.Agent.Pipeline;

/// <summary>
/// One encoded batch waiting for the hub's ack. <see cref="Position"/> orders everything the outbox
/// holds, across epochs (a restarted agent still sends its previous epoch's unacked batches first).
/// </summary>
internal sealed record OutboxEntry(ulong Seq, byte[] Payload)
{
    /// <summary>The batch's epoch; set by the outbox from the payload.</summary>
    public ulong Epoch { get; init; }

    /// <summary>The outbox's own order, 1, 2, 3…, which senders use as a cursor.</summary>
    public ulong Position { get; init; }
}
