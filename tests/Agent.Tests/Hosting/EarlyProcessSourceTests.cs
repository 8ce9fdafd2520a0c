using FleetNet.Agent.Hosting;
using FleetNet.Agent.Tests.Interop;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Tests.Hosting;

public sealed class EarlyProcessSourceTests
{
    [Fact]
    public void StartupLogger_BeforeAndAfterForward_KeepsInformationUpInOrderThenWritesThrough()
    {
        var startup = new StartupLoggerFactory();
        var logger = startup.CreateLogger("early");
        logger.LogDebug("dropped before the host");
        logger.LogInformation("first");
        logger.LogWarning("second");
        var host = new ListLoggerFactory();

        startup.Forward(host);
        logger.LogDebug("written through");

        Assert.Equal(
            [(LogLevel.Information, "first"), (LogLevel.Warning, "second"), (LogLevel.Debug, "written through")],
            host.Messages);
        Assert.Same(host, startup.CreateLogger("late"));
    }

    [Theory]
    [InlineData("IntervalSeconds", "abc")]
    [InlineData("IntervalSeconds", "0")]
    [InlineData("HubUrl", "ftp://hub")]
    public void TryStart_BadConfiguration_LeavesItToTheHost(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value), new("Fidelity", "interfaces_only")]).Build();

        Assert.Null(EarlyProcessSource.TryStart(configuration));
    }

    [Fact]
    public void FromServices_EarlySourceRegistered_HostGetsThatSourceAndItsLogLines()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Fidelity", "interfaces_only")]).Build();
        var early = EarlyProcessSource.TryStart(configuration);
        Assert.NotNull(early);
        var host = new ListLoggerFactory();
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(host)
            .AddSingleton(early)
            .AddSingleton(Options.Create(new AgentOptions { Fidelity = "btf_tracepoint" }))
            .BuildServiceProvider();

        var holder = ProcessSourceHolder.FromServices(services);

        // The early source (interfaces only, from its own configuration), not a new one from the host's options.
        Assert.Equal(Fidelity.InterfacesOnly, holder.Fidelity);
        Assert.Contains(host.Messages, m => m.Message.Contains("interfaces_only", StringComparison.Ordinal));
    }
}
