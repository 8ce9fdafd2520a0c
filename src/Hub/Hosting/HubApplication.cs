using FleetNet.Hub.Ingest;
using FleetNet.Hub.Query;
using FleetNet.Hub.Rollups;
using FleetNet.Hub.Storage;

namespace FleetNet.Hub.Hosting;

/// <summary>Composition of the hub: services in, endpoints out, and a readable failure at start-up.</summary>
internal static class HubApplication
{
    public static WebApplicationBuilder AddFleetNetHub(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddGrpc();
        builder.Services.AddGrpcReflection();
        builder.Services.AddOpenApi();
        builder.AddFleetNetStorage();
        builder.AddFleetNetIngest();
        builder.AddFleetNetQueries();
        builder.AddFleetNetJobs();
        builder.AddFleetNetAgents();
        builder.AddFleetNetSecurity();
        builder.AddFleetNetTls();
        // The host logs a start-up failure with its stack trace; RunFleetNetHubAsync prints one line instead.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        if (Security.HubCommands.IsCommand(Environment.GetCommandLineArgs()[1..]))
        {
            // A command's stdout is its result (a key, a token, a CA) for scripts to capture; logs go to stderr.
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        return builder;
    }

    public static WebApplication MapFleetNetHub(this WebApplication app)
    {
        app.MapFleetNetSecurity();
        app.MapGrpcService<IngestService>();
        app.MapGrpcService<QueryService>();
        app.MapGrpcReflectionService();
        app.MapFleetNetQueryApi();
        app.MapFleetNetAgentsApi();
        app.MapFleetNetJobsDashboard();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapHealthChecks("/healthz");
        return app;
    }

    /// <summary>
    /// Builds, maps and runs the hub; returns the process exit code. Building and mapping are inside the same
    /// handler as running: mapping resolves options too (the jobs dashboard configures Hangfire's storage), so a
    /// bad setting fails there with the same one line and exit code 2.
    /// </summary>
    public static async Task<int> RunFleetNetHubAsync(this WebApplicationBuilder builder)
    {
        try
        {
            var app = builder.Build();
            app.MapFleetNetHub();
            if (await Security.HubCommands.TryRunAsync(app, Environment.GetCommandLineArgs()[1..]) is { } exitCode)
            {
                return exitCode;
            }

            await app.RunAsync();
            return 0;
        }
        catch (DatabaseUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"fleetnet-hub: {e.Message}");
            return 2;
        }
        catch (IOException e) when (e.Message.StartsWith("Failed to bind", StringComparison.Ordinal))
        {
            // Kestrel: "Failed to bind to address https://…: address already in use."
            await Console.Error.WriteLineAsync($"fleetnet-hub: {e.Message}");
            return 2;
        }
        catch (Tls.TlsSetupException e)
        {
            await Console.Error.WriteLineAsync($"fleetnet-hub: {e.Message}");
            return 2;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"fleetnet-hub: invalid configuration: {string.Join("; ", e.Failures)}");
            return 2;
        }
    }
}
