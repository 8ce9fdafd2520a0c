namespace FleetNet.Agent.Pipeline;

/// <summary>How the hub client reacts to a stream that ended.</summary>
internal enum HubClientFailureKind
{
    /// <summary>Transient (hub or network down, deadline, database away): exponential backoff with full jitter.</summary>
    Retryable,

    /// <summary>The hub is overloaded (RESOURCE_EXHAUSTED): backoff, and at least as long as the hub asked.</summary>
    Throttled,

    /// <summary>
    /// Retrying soon cannot help (UNAUTHENTICATED, PERMISSION_DENIED, a Hello the hub refuses): logged
    /// loudly and retried slowly, since an operator may fix it (re-enrol, un-revoke) without restarting the agent.
    /// </summary>
    Refused,
}
