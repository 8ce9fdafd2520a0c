using FleetNet.Agent.Hosting;

namespace FleetNet.Agent.Tests.Hosting;

public sealed class AgentCommandLineTests
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "run" }, null)]
    [InlineData(new[] { "run", "--config", "/tmp/a.json" }, "/tmp/a.json")]
    [InlineData(new[] { "--config=/tmp/b.json" }, "/tmp/b.json")]
    public void Parse_RunArguments_ReturnsConfigPathAndNoExit(string[] args, string? configPath)
    {
        var command = AgentCommandLine.Parse(args, _output, _error);

        Assert.Equal(new AgentCommandLine(configPath, null), command);
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public void Parse_Help_PrintsUsageAndExitsZero()
    {
        var command = AgentCommandLine.Parse(["--help"], _output, _error);

        Assert.Equal(AgentExitCodes.Ok, command.ExitCode);
        Assert.Contains("Usage: fleetnet-agent", _output.ToString());
    }

    [Fact]
    public void Parse_Version_PrintsInformationalVersion()
    {
        var command = AgentCommandLine.Parse(["--version"], _output, _error);

        Assert.Equal(AgentExitCodes.Ok, command.ExitCode);
        Assert.Equal(HostIdentity.Version, _output.ToString().Trim());
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--config")]
    [InlineData("status")]
    public void Parse_UnknownOrIncompleteArgument_ExitsTwoWithOneLine(string arg)
    {
        var command = AgentCommandLine.Parse([arg], _output, _error);

        Assert.Equal(AgentExitCodes.BadConfiguration, command.ExitCode);
        Assert.Single(_error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
