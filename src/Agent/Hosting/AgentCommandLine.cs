using FleetNet.Agent.Top;

namespace FleetNet.Agent.Hosting;

/// <summary>
/// <c>fleetnet-agent [run] [--config PATH]</c>, <c>--version</c>, <c>--help</c>. Settings themselves come
/// from the configuration file and <c>FLEETNET_*</c> variables, never from arguments.
/// </summary>
/// <param name="ConfigPath">The configuration file given with --config, or null for the default.</param>
/// <param name="ExitCode">Set when the process should exit now with this code (help, version, usage error).</param>
/// <param name="Top">Set for <c>fleetnet-agent top</c>: the local view instead of the agent.</param>
internal sealed record AgentCommandLine(string? ConfigPath, int? ExitCode, TopOptions? Top = null)
{
    /// <summary>The configuration file read when --config is not given (optional).</summary>
    public const string DefaultConfigPath = "/etc/fleetnet/agent.json";

    private const string Usage = """
        Usage: fleetnet-agent [run] [--config PATH]
               fleetnet-agent top [--once] [--json] [--interval SECONDS] [--limit N] [--config PATH]
               fleetnet-agent --version | --help

        Collects network usage on this host and streams it to the FleetNet hub.

          --config PATH   JSON configuration file (default /etc/fleetnet/agent.json, optional)

        top shows this host's traffic per process, container and remote endpoint, live, with no hub:
          --once          one interval, then exit      --json        JSON, one object per interval
          --interval S    seconds per refresh (2)      --limit N     rows per table (20)
          --version       print the agent version
          --help          print this help

        Every setting can also be set with a FLEETNET_ environment variable, e.g.
        FLEETNET_HUBURL, FLEETNET_INTERVALSECONDS, FLEETNET_HOSTNAME, FLEETNET_LABELS__ROLE.
        Exit codes: 0 stopped cleanly, 1 failed while running, 2 bad command line or configuration.
        """;

    public static AgentCommandLine Parse(ReadOnlySpan<string> args, TextWriter output, TextWriter error)
    {
        if (args.Length > 0 && args[0] == "top")
        {
            return TopCommandLine.Parse(args[1..], error);
        }

        string? configPath = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "run" when i == 0:
                    break;
                case "--help" or "-h":
                    output.WriteLine(Usage);
                    return new(null, AgentExitCodes.Ok);
                case "--version":
                    output.WriteLine(HostIdentity.Version);
                    return new(null, AgentExitCodes.Ok);
                case "--config" when i + 1 < args.Length:
                    configPath = args[++i];
                    break;
                default:
                    if (arg.StartsWith("--config=", StringComparison.Ordinal) && arg.Length > "--config=".Length)
                    {
                        configPath = arg["--config=".Length..];
                        break;
                    }

                    error.WriteLine($"fleetnet-agent: unexpected argument '{arg}' (see --help)");
                    return new(null, AgentExitCodes.BadConfiguration);
            }
        }

        return new(configPath, null);
    }
}
