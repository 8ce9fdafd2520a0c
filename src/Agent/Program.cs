using FleetNet.Agent.Hosting;
using FleetNet.Agent.Security;
using FleetNet.Agent.Top;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var command = AgentCommandLine.Parse(args, Console.Out, Console.Error);
if (command.ExitCode is { } exitCode)
{
    return exitCode;
}

// The hub's CA, when known, is all the agent trusts; set before any thread starts (see TrustOnlyKnownCa).
if (command.Top is null)
{
    AgentCredentials.TrustOnlyKnownCa(AgentSecuritySettings.FromEnvironment());
}

// Configuration, then eBPF, while the process is still small (see EarlyProcessSource); then the host.
var configuration = new ConfigurationManager();
if (!configuration.TryAddAgentConfiguration(command.ConfigPath, Console.Error))
{
    return AgentExitCodes.BadConfiguration;
}

var early = EarlyProcessSource.TryStart(configuration);

// The eBPF loader's code (libbpf, ELF, the BTF work) has run for good: give its pages back before the host adds its own.
FilePages.Release();

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Configuration = configuration });
if (early is not null)
{
    builder.Services.AddSingleton(early);
}

if (command.Top is { } top)
{
    return await TopHost.RunAsync(builder, top, Console.Out, Console.Error);
}

builder.AddAgentLogging();
builder.Services.AddFleetNetAgent(builder.Configuration);

using var host = builder.Build();
return await host.RunAgentAsync(Console.Error);
