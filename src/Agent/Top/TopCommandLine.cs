using System.Globalization;
using FleetNet.Agent.Hosting;

namespace FleetNet.Agent.Top;

/// <summary>Parses the arguments after <c>fleetnet-agent top</c>.</summary>
internal static class TopCommandLine
{
    public static AgentCommandLine Parse(ReadOnlySpan<string> args, TextWriter error)
    {
        var top = TopOptions.Default;
        string? configPath = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var hasValue = i + 1 < args.Length;
            switch (arg)
            {
                case "--once":
                    top = top with { Once = true };
                    break;
                case "--json":
                    top = top with { Json = true };
                    break;
                case "--config" when hasValue:
                    configPath = args[++i];
                    break;
                case "--interval" when hasValue && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                    && seconds is >= 0.2 and <= 3600:
                    top = top with { IntervalSeconds = seconds };
                    i++;
                    break;
                case "--limit" when hasValue && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= 100_000:
                    top = top with { Limit = limit };
                    i++;
                    break;
                default:
                    error.WriteLine($"fleetnet-agent top: unexpected or invalid argument '{arg}' (see --help)");
                    return new(null, AgentExitCodes.BadConfiguration);
            }
        }

        return new(configPath, null, top);
    }
}
