namespace FleetNet.Cli.Commands;

/// <summary>Help text and the one-line error for a wrong command line (exit code 2).</summary>
internal static class Usage
{
    public const string Text = """
        fleetnet: which process, on which host, is using the network.

        usage:
          fleetnet top   [--window 1h] [--limit 20] [--host NAME] [--interval 2] [--once] [--json]
          fleetnet hosts [--json]
          fleetnet agents [--json]                  per agent: batches sent, stored, duplicate, rejected, lost
          fleetnet identities [--json]              enrolled agents (admin)
          fleetnet create-enrollment-token [--uses 1] [--valid-hours 24] [--note TEXT]   (admin)
          fleetnet revoke-agent (--id N | --host NAME)                                   (admin)
          fleetnet create-api-key --role read|admin [--name NAME]                        (admin)
          fleetnet revoke-api-key --id N                                                 (admin)

        options:
          --hub URL      the hub's gRPC address (default $FLEETNET_HUB or http://127.0.0.1:5081)
          --api-key KEY  API key (default $FLEETNET_API_KEY); the hub needs one unless it runs open
          --ca FILE      PEM of the hub's CA, for https:// hubs with a self-generated certificate (default $FLEETNET_CA)
          --window W     look-back window: 30s, 15m, 1h, 7d, 2w
          --limit N      rows, 1 to 1000
          --host NAME    only this host
          --interval S   seconds between refreshes of the live view
          --once         print one table and exit (default when output is not a terminal)
          --json         print one answer as JSON and exit
        """;

    public static int Fail(string error)
    {
        Console.Error.WriteLine($"fleetnet: {error}");
        Console.Error.WriteLine("run 'fleetnet help' for usage");
        return 2;
    }
}
