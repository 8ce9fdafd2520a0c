namespace FleetNet.Hub.Security;

/// <summary>An enrolled agent: the host it may write for, and whether it was revoked.</summary>
internal sealed record AgentIdentity(long Id, string HostName, DateTimeOffset EnrolledAt, DateTimeOffset? RevokedAt);
