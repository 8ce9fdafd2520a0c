using FleetNet.Protocol.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace FleetNet.Hub.Security;

/// <summary><c>Admin</c>: enrollment tokens, agent identities and API keys (API key with role admin).</summary>
internal sealed class AdminService(AgentIdentityStore identities, ApiKeyStore keys, IOptions<SecurityOptions> options, Tls.ServerCertificates certificates)
    : Protocol.V1.Admin.AdminBase
{
    public override async Task<CreateEnrollmentTokenResponse> CreateEnrollmentToken(CreateEnrollmentTokenRequest request, ServerCallContext context)
    {
        var uses = request.Uses == 0 ? 1 : request.Uses;
        if (uses is < 1 or > 100_000 || request.ValidSeconds is < 0 or > 365L * 86_400)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "uses must be 1..100000 and valid_seconds 0..31536000"));
        }

        var lifetime = request.ValidSeconds == 0 ? options.Value.EnrollmentTokenLifetime : TimeSpan.FromSeconds(request.ValidSeconds);
        var (id, token, expires) = await identities.CreateTokenAsync(uses, lifetime, request.Note, context.CancellationToken);
        return new CreateEnrollmentTokenResponse { Id = id, Token = Tls.CaPin.Append(token, certificates.ServingCa), ExpiresUnixMs = expires.ToUnixTimeMilliseconds(), Uses = uses };
    }

    public override async Task<ListAgentIdentitiesResponse> ListAgentIdentities(ListAgentIdentitiesRequest request, ServerCallContext context)
    {
        var response = new ListAgentIdentitiesResponse();
        foreach (var i in await identities.ListAsync(context.CancellationToken))
        {
            response.Identities.Add(new AgentIdentityInfo
            {
                Id = i.Id,
                HostName = i.HostName,
                EnrolledUnixMs = i.EnrolledAt.ToUnixTimeMilliseconds(),
                RevokedUnixMs = i.RevokedAt?.ToUnixTimeMilliseconds() ?? 0,
            });
        }

        return response;
    }

    public override async Task<RevokeResponse> RevokeAgent(RevokeAgentRequest request, ServerCallContext context)
    {
        if (request.AgentId == 0 && request.HostName.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "name an agent id or a host name"));
        }

        return new RevokeResponse { Revoked = await identities.RevokeAsync(request.AgentId, request.HostName, context.CancellationToken) };
    }

    public override async Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        if (!ApiKeyStore.TryParseRole(request.Role, out var role))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"role '{request.Role}' is not one of read, admin"));
        }

        var (id, key) = await keys.CreateAsync(role, request.Name, context.CancellationToken);
        return new CreateApiKeyResponse { Id = id, Key = key, Role = request.Role };
    }

    public override async Task<RevokeResponse> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context) =>
        new() { Revoked = await keys.RevokeAsync(request.Id, context.CancellationToken) };
}
