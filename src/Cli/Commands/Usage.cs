namespace FleetNet.Cli.Commands;

/// <summary>Help text and the one-line error for a wrong command line (exit code 2).</summary>
internal static class Usage
{
    public const string Text = """
        fleetnet: which process, on which host, is using the network.

        usage:
          fleetnet top   [--by processes|names|hosts|containers|endpoints|interfaces] [--window 1h | --from T --to T]
                         [--limit 20] [--offset N] [FILTERS] [--interval 2] [--once] [--json]
          fleetnet timeline [--series processes|interfaces] [--window 1h | --from T --to T] [--step 1m|1h|1d|1w]
                         [--host NAME] [--label K=V] [--process NAME] [--interface NAME] [--json]
          fleetnet trend [--period day|week] [--window 90d | --from T --to T] [--host NAME] [--label K=V] [--interface NAME] [--json]
          fleetnet hosts [--json]
          fleetnet agents [--json]                  per agent: batches sent, stored, duplicate, rejected, lost
          fleetnet identities [--json]              enrolled agents (admin)
          fleetnet create-enrollment-token [--uses 1] [--valid-hours 24] [--note TEXT]   (admin)
          fleetnet revoke-agent (--id N | --host NAME)                                   (admin)
          fleetnet create-api-key --role read|admin [--name NAME]                        (admin)
          fleetnet revoke-api-key --id N                                                 (admin)

        options:
          --hub URL      the hub's gRPC address (default $FLEETNET_HUB or https://127.0.0.1:5081)
          --api-key KEY  API key (default $FLEETNET_API_KEY); the hub needs one unless it runs open
          --ca FILE      PEM of the hub's CA, for https:// hubs with a self-generated certificate (default $FLEETNET_CA)
          --window W     look-back window: 30s, 15m, 1h, 7d, 2w
          --limit N      rows, 1 to 1000
          --from T, --to T   a window by its ends, ISO 8601 (2026-11-25T10:00:00Z)
          FILTERS        --host NAME, --label KEY=VALUE, --container NAME (container, unit or cgroup), --process NAME (comm or exe)
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
