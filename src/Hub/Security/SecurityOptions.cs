namespace FleetNet.Hub.Security;

/// <summary>Who may talk to the hub. Bound from the <c>Security</c> configuration section.</summary>
internal sealed class SecurityOptions
{
    /// <summary>
    /// Agents must present an enrolled identity (Bearer secret) on Ingest.Stream, and may write only for
    /// their own host. Off only when explicitly configured (tests, the local quick start).
    /// </summary>
    public bool RequireAgentIdentity { get; set; } = true;

    /// <summary>REST and gRPC queries need an API key (role read), administration a key with role admin.</summary>
    public bool RequireApiKeys { get; set; } = true;

    /// <summary>How often an open ingest stream re-checks that its identity was not revoked.</summary>
    public TimeSpan RevocationCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Default lifetime of an enrollment token.</summary>
    public TimeSpan EnrollmentTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Batches per second one agent may send on average (token bucket refill rate).</summary>
    public double AgentBatchesPerSecond { get; set; } = 50;

    /// <summary>Batches one agent may send at once (bucket size): replays after an outage come in bursts.</summary>
    public int AgentBatchBurst { get; set; } = 500;
}
