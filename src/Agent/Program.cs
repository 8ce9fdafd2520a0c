using FleetNet.Agent.Hosting;
using FleetNet.Agent.Top;
using Microsoft.Extensions.Hosting;

var command = AgentCommandLine.Parse(args, Console.Out, Console.Error);
if (command.ExitCode is { } exitCode)
{
    return exitCode;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
if (!builder.TryAddAgentConfiguration(command.ConfigPath, Console.Error))
{
    return AgentExitCodes.BadConfiguration;
}

if (command.Top is { } top)
{
    return await TopHost.RunAsync(builder, top, Console.Out, Console.Error);
}

builder.AddAgentLogging();
builder.Services.AddFleetNetAgent(builder.Configuration);

using var host = builder.Build();
return await host.RunAgentAsync(Console.Error);
