using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FleetNet.Protocol.V1;
using Grpc.Net.Client;

namespace FleetNet.Agent.Security;

/// <summary>
/// Learning the hub's CA from an enrollment token that carries its SHA-256: the CA is fetched
/// (Enrollment.GetCa) over a connection that is not trusted yet, kept only if its hash is the token's pin,
/// and stored beside the agent's secret for later starts. Nothing secret is sent before the check; the
/// token itself goes only over a connection that chains to the checked CA.
/// </summary>
internal static class HubCaPin
{
    public static async Task<X509Certificate2> LearnAsync(string hubUrl, string pin, string storeAt, CancellationToken cancellationToken)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true; // checked against the pin below
        using var channel = GrpcChannel.ForAddress(hubUrl, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        var response = await new Enrollment.EnrollmentClient(channel).GetCaAsync(new GetCaRequest(), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(response.CaPem))
        {
            throw new InvalidOperationException($"the hub at {hubUrl} publishes no CA, but the enrollment token carries a CA fingerprint");
        }

        var ca = X509Certificate2.CreateFromPem(response.CaPem);
        if (!Matches(ca, pin))
        {
            throw new HubCaMismatchException($"the CA of the hub at {hubUrl} does not match the fingerprint in the enrollment token; not enrolling");
        }

        AgentSecretHandler.StoreFile(storeAt, ca.ExportCertificatePem() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return ca;
    }

    public static bool Matches(X509Certificate2 ca, string pin) =>
        Convert.ToBase64String(SHA256.HashData(ca.RawData)).TrimEnd('=').Replace('+', '-').Replace('/', '_') == pin;
}
