using FleetNet.Hub.Ingest;
using FleetNet.Protocol.V1;
using Grpc.Core;

namespace FleetNet.Hub.Security;

/// <summary><c>Enrollment.Enroll</c>: anonymous, the enrollment token is the credential.</summary>
internal sealed partial class EnrollmentService(AgentIdentityStore identities, Tls.ServerCertificates certificates, ILogger<EnrollmentService> logger)
    : Protocol.V1.Enrollment.EnrollmentBase
{
    /// <summary>The CA of the certificate this hub serves (public; the agent checks it against its token's pin).</summary>
    public override Task<GetCaResponse> GetCa(GetCaRequest request, ServerCallContext context) =>
        Task.FromResult(new GetCaResponse { CaPem = certificates.ServingCa?.ExportCertificatePem() ?? "" });

    public override async Task<EnrollResponse> Enroll(EnrollRequest request, ServerCallContext context)
    {
        if (HostRegistry.Validate(new Hello { HostName = request.HostName, Epoch = 1 }) is { } error)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, error.Replace("Hello.", "", StringComparison.Ordinal)));
        }

        if (await identities.EnrollAsync(request.Token, request.HostName, context.CancellationToken) is not { } enrolled)
        {
            LogRefused(request.HostName);
            throw new RpcException(new Status(StatusCode.PermissionDenied, "the enrollment token is unknown, used up or expired"));
        }

        LogEnrolled(request.HostName, enrolled.Id);
        return new EnrollResponse { AgentId = enrolled.Id, Secret = enrolled.Secret, HostName = request.HostName };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent enrolled: host {Host}, identity {Id}")]
    private partial void LogEnrolled(string host, long id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Enrollment refused for host {Host}: token unknown, used up or expired")]
    private partial void LogRefused(string host);
}
