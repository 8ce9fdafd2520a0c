using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Hosting;

/// <summary>The agent's process: configuration sources, logging, systemd, and turning bad config into exit code 2.</summary>
internal static class AgentHostBuilderExtensions
{
    /// <summary>
    /// Configuration = the JSON file (optional unless given with --config), then <c>FLEETNET_*</c> variables.
    /// The host's defaults are off on purpose: unprefixed variables such as HOSTNAME would bind to the options.
    /// </summary>
    public static bool TryAddAgentConfiguration(this HostApplicationBuilder builder, string? configPath, TextWriter error) =>
        builder.Configuration.TryAddAgentConfiguration(configPath, error);

    /// <inheritdoc cref="TryAddAgentConfiguration(HostApplicationBuilder, string?, TextWriter)"/>
    public static bool TryAddAgentConfiguration(this IConfigurationBuilder configuration, string? configPath, TextWriter error)
    {
        try
        {
            configuration.AddJsonFile(
                Path.GetFullPath(configPath ?? AgentCommandLine.DefaultConfigPath), optional: configPath is null, reloadOnChange: false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
        {
            error.WriteLine($"fleetnet-agent: cannot read configuration: {e.Message}");
            return false;
        }

        configuration.AddEnvironmentVariables("FLEETNET_");
        return true;
    }

    /// <summary>One line per message on the console; the journal's format when run by systemd (Type=notify).</summary>
    public static HostApplicationBuilder AddAgentLogging(this HostApplicationBuilder builder)
    {
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(static console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Services.AddSystemd();
        return builder;
    }

    /// <summary>Checks the options, then runs until stopped. Bad configuration is one line on stderr and exit code 2.</summary>
    public static async Task<int> RunAgentAsync(this IHost host, TextWriter error)
    {
        try
        {
            _ = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            error.WriteLine($"fleetnet-agent: invalid configuration: {string.Join("; ", e.Failures)}");
            return AgentExitCodes.BadConfiguration;
        }
        catch (InvalidOperationException e)
        {
            // The binder's "Failed to convert configuration value at 'IntervalSeconds' to type 'System.Int32'."
            error.WriteLine($"fleetnet-agent: invalid configuration: {e.Message}");
            return AgentExitCodes.BadConfiguration;
        }

        try
        {
            await host.RunAsync().ConfigureAwait(false);
            return AgentExitCodes.Ok;
        }
        catch (Exception e)
        {
            error.WriteLine($"fleetnet-agent: {e.Message}");
            return AgentExitCodes.Failed;
        }
    }
}
