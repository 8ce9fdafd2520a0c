using FleetNet.Agent.Hosting;
using FleetNet.Agent.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Tests.Hosting;

// Sets process environment variables, so every test that reads FLEETNET_* lives in this one class.
public sealed class AgentConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleetnet-config-").FullName;
    private readonly List<(string Name, string? Before)> _variables = [];
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        foreach (var (name, before) in _variables)
        {
            Environment.SetEnvironmentVariable(name, before);
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Bind_JsonThenEnvironment_EnvironmentWinsAndLabelsMerge()
    {
        var path = WriteConfig("""{ "HubUrl": "http://hub.example:5081", "IntervalSeconds": 5, "Labels": { "role": "web" } }""");
        SetVariable("FLEETNET_INTERVALSECONDS", "7");
        SetVariable("FLEETNET_LABELS__DC", "fra");

        var options = Build(path).Services.GetRequiredService<IOptions<AgentOptions>>().Value;

        Assert.Equal("http://hub.example:5081", options.HubUrl);
        Assert.Equal(7, options.IntervalSeconds);
        Assert.Equal("web", options.Labels["role"]);
        Assert.Equal("fra", options.Labels["DC"]);
    }

    [Fact]
    public void Bind_UnprefixedVariable_IsIgnored()
    {
        SetVariable("HOSTNAME", "must-not-bind");
        SetVariable("INTERVALSECONDS", "99");

        var options = Build(WriteConfig("{}")).Services.GetRequiredService<IOptions<AgentOptions>>().Value;

        Assert.Equal("", options.HostName);
        Assert.Equal(10, options.IntervalSeconds);
    }

    [Theory]
    [InlineData("""{ "IntervalSeconds": 0 }""", "IntervalSeconds")]
    [InlineData("""{ "IntervalSeconds": "often" }""", "IntervalSeconds")]
    [InlineData("""{ "HubUrl": "hub:5081" }""", "HubUrl")]
    [InlineData("""{ "MaxQueuedBatches": 0 }""", "MaxQueuedBatches")]
    public async Task RunAgentAsync_InvalidSetting_ExitsTwoWithOneLineNamingIt(string json, string setting)
    {
        using var host = Build(WriteConfig(json));

        var exitCode = await host.RunAgentAsync(_error);

        Assert.Equal(AgentExitCodes.BadConfiguration, exitCode);
        var line = Assert.Single(_error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("fleetnet-agent: invalid configuration:", line);
        Assert.Contains(setting, line);
    }

    [Fact]
    public void TryAddAgentConfiguration_ExplicitFileMissing_FailsWithOneLine()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        Assert.False(builder.TryAddAgentConfiguration(Path.Combine(_directory, "absent.json"), _error));
        Assert.Single(_error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void TryAddAgentConfiguration_MalformedJson_FailsWithOneLine()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        Assert.False(builder.TryAddAgentConfiguration(WriteConfig("{ \"HubUrl\": "), _error));
        Assert.StartsWith("fleetnet-agent: cannot read configuration:", _error.ToString());
    }

    [Fact]
    public void AddFleetNetAgent_ValidConfiguration_RegistersHubClientBeforeSampler()
    {
        using var host = Build(WriteConfig("{}"));

        var hosted = host.Services.GetServices<IHostedService>().ToList();

        // Hosted services stop in reverse order; the sampler must stop (and queue its last batch) first.
        Assert.True(hosted.FindIndex(s => s is HubClient) < hosted.FindIndex(s => s is Sampler));
    }

    private IHost Build(string configPath)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        Assert.True(builder.TryAddAgentConfiguration(configPath, _error));
        builder.Services.AddFleetNetAgent(builder.Configuration);
        // No eBPF in these tests: they are about configuration and composition.
        builder.Services.AddSingleton(new ProcessSourceHolder(null));
        return builder.Build();
    }

    private string WriteConfig(string json)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    private void SetVariable(string name, string value)
    {
        _variables.Add((name, Environment.GetEnvironmentVariable(name)));
        Environment.SetEnvironmentVariable(name, value);
    }
}
