using Grpc.Net.Client;

namespace FleetNet.Cli;

/// <summary>
/// The gRPC channel to the hub, carrying the API key (<c>--api-key</c>, else <c>FLEETNET_API_KEY</c>) as
/// <c>authorization: Bearer</c> on every call, and trusting the hub's CA when <c>--ca</c> / <c>FLEETNET_CA</c> names one.
/// </summary>
internal static class HubConnection
{
    public static GrpcChannel Open(CliArguments args)
    {
        HttpMessageHandler handler = new SocketsHttpHandler();
        var caFile = args.Get("--ca") ?? Environment.GetEnvironmentVariable("FLEETNET_CA");
        if (!string.IsNullOrEmpty(caFile))
        {
            // CreateFromPem, not CreateFromPemFile: the latter also wants a private key in the file.
            var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
            ((SocketsHttpHandler)handler).SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || (certificate is not null && PrivateCa.Issued(ca, certificate));
        }

        var key = args.Get("--api-key") ?? Environment.GetEnvironmentVariable("FLEETNET_API_KEY");
        if (!string.IsNullOrEmpty(key))
        {
            handler = new ApiKeyHandler(key) { InnerHandler = handler };
        }

        return GrpcChannel.ForAddress(args.Hub, new GrpcChannelOptions { HttpHandler = handler });
    }

    private sealed class ApiKeyHandler(string key) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new("Bearer", key);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
