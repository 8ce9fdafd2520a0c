using FleetNet.Agent.Cgroups;
using FleetNet.Agent.Hosting;
using FleetNet.Agent.Interfaces;
using FleetNet.Agent.Unattributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Top;

/// <summary>Composes and runs <c>fleetnet-agent top</c>: the agent's collectors, no pipeline, no hub.</summary>
internal static class TopHost
{
    public static async Task<int> RunAsync(HostApplicationBuilder builder, TopOptions top, TextWriter output, TextWriter error)
    {
        // Warnings only, and on stderr, so `top --json` output stays parseable.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddSimpleConsole(static console =>
        {
            console.SingleLine = true;
            console.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Services.Configure<ConsoleLoggerOptions>(static o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddOptions<AgentOptions>().Bind(builder.Configuration).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(static sp => HostIdentity.Read(sp.GetRequiredService<IOptions<AgentOptions>>().Value));
        builder.Services.AddSingleton(ProcessSourceHolder.FromServices);
        builder.Services.AddSingleton<InterfaceCollector>();
        builder.Services.AddSingleton<CgroupResolver>();
        builder.Services.AddSingleton<UnattributedCalculator>();
        builder.Services.AddSingleton(top);
        builder.Services.AddSingleton<TopCommand>();

        using var host = builder.Build();
        TopCommand command;
        try
        {
            command = host.Services.GetRequiredService<TopCommand>();
        }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
        {
            error.WriteLine($"fleetnet-agent: invalid configuration: {e.Message}");
            return AgentExitCodes.BadConfiguration;
        }

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await command.RunAsync(output, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
