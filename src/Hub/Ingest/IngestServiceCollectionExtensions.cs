using FleetNet.Hub.Ingest;

namespace Microsoft.Extensions.DependencyInjection;

internal static class IngestServiceCollectionExtensions
{
    /// <summary>The gRPC ingest service and what it needs.</summary>
    public static IHostApplicationBuilder AddFleetNetIngest(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>().BindConfiguration("Ingest").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<IngestOptions>>((grpc, ingest) => grpc.MaxReceiveMessageSize = ingest.Value.MaxMessageBytes);
        builder.Services.AddSingleton<HostRegistry>();
        builder.Services.AddSingleton<BatchValidator>();
        builder.Services.AddSingleton<BatchWriter>();
        return builder;
    }
}
