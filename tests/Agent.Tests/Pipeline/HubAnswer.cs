namespace FleetNet.Agent.Tests.Pipeline;

/// <summary>How the test hub answers one batch.</summary>
internal enum HubAnswer
{
    /// <summary>Store it and ack (the default).</summary>
    Store,

    /// <summary>Store it but never ack, as if the ack were lost.</summary>
    StoreWithoutAck,

    /// <summary>Refuse it for good (INVALID_ARGUMENT).</summary>
    Reject,

    /// <summary>Fail the whole stream before looking at the batch.</summary>
    BreakStream,
}
