using FleetNet.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace FleetNet.Hub.Security;

/// <summary>
/// Who is on an ingest stream: the identity of the Bearer secret in the call's metadata, which must
/// belong to the Hello's host and not be revoked. Without a secret the stream is refused unless
/// <see cref="SecurityOptions.RequireAgentIdentity"/> was explicitly turned off.
/// </summary>
internal sealed class AgentAuthenticator(AgentIdentityStore identities, IOptions<SecurityOptions> options)
{
    /// <summary>The stream's identity, or null in open mode without a secret; throws the refusal otherwise.</summary>
    public async Task<AgentIdentity?> AuthenticateAsync(ServerCallContext context, Hello hello, CancellationToken cancellationToken)
    {
        var secret = Secrets.FromHeaders(context.RequestHeaders.GetValue("authorization"), null);
        if (secret is null)
        {
            return options.Value.RequireAgentIdentity
                ? throw new RpcException(new Status(StatusCode.Unauthenticated, "an agent identity is required: enroll the agent and send its secret (authorization: Bearer fna_...)"))
                : null;
        }

        var identity = await identities.AuthenticateAsync(secret, cancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "the agent secret is not valid"));
        if (identity.RevokedAt is not null)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"agent identity {identity.Id} was revoked"));
        }

        if (!string.Equals(identity.HostName, hello.HostName, StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"agent identity {identity.Id} belongs to host '{identity.HostName}' and may not write for host '{hello.HostName}'"));
        }

        return identity;
    }

    /// <summary>How often an open stream re-checks revocation.</summary>
    public TimeSpan RevocationCheckInterval => options.Value.RevocationCheckInterval;

    public Task<bool> IsRevokedAsync(long identityId, CancellationToken cancellationToken) => identities.IsRevokedAsync(identityId, cancellationToken);
}
