using FleetNet.Hub.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

internal static class TlsServiceCollectionExtensions
{
    /// <summary>TLS for the REST and gRPC endpoints: generated at first start, the operator's own PEM files, or explicitly off.</summary>
    public static IHostApplicationBuilder AddFleetNetTls(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TlsOptions>().BindConfiguration("Tls").ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TlsOptions>, TlsOptionsValidator>();
        builder.Services.AddSingleton<ServerCertificates>();
        builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelTlsSetup>();
        return builder;
    }
}
