using Grpc.Net.Client;

namespace FleetNet.Agent.Pipeline;

/// <summary>The gRPC channel to the hub: HTTP/2 without TLS (h2c) for http:// addresses.</summary>
internal static class HubChannel
{
    public static GrpcChannel Create(string hubUrl) =>
        GrpcChannel.ForAddress(hubUrl, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(10),
                // Pings find a hub that vanished without closing the connection (host down, NAT timeout).
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                EnableMultipleHttp2Connections = true,
            },
        }.WithAgentCredentials(hubUrl));

    // Enrollment, the agent's secret and the hub's CA (src/Agent/Security, issue 5).
    private static GrpcChannelOptions WithAgentCredentials(this GrpcChannelOptions options, string hubUrl) =>
        Security.AgentCredentials.ConfigureChannel(options, hubUrl);
}
