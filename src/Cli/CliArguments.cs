using System.Diagnostics.CodeAnalysis;

namespace FleetNet.Cli;

/// <summary>Parsed command line: a command and <c>--name value</c> / <c>--flag</c> options.</summary>
internal sealed class CliArguments
{
    private static readonly HashSet<string> Flags = ["--json", "--once", "--help", "-h"];

    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public string Command { get; private init; } = "help";

    public static bool TryParse(string[] args, [NotNullWhen(true)] out CliArguments? parsed, [NotNullWhen(false)] out string? error)
    {
        var first = args.Length > 0 && !args[0].StartsWith('-') ? 1 : 0;
        parsed = new CliArguments { Command = first == 1 ? args[0] : "help" };
        for (var i = first; i < args.Length; i++)
        {
            var name = args[i];
            if (Flags.Contains(name))
            {
                parsed._options[name] = "true";
            }
            else if (name.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                parsed._options[name] = args[++i];
            }
            else
            {
                error = $"unexpected argument '{name}'";
                parsed = null;
                return false;
            }
        }

        error = null;
        return true;
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Get(string name) => _options.GetValueOrDefault(name);

    /// <summary>The hub's gRPC address: --hub, else FLEETNET_HUB, else the local default.</summary>
    public string Hub => Get("--hub") ?? Environment.GetEnvironmentVariable("FLEETNET_HUB") ?? "https://127.0.0.1:5081";
}
