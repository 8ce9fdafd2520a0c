using System.Globalization;
using FleetNet.Cli.Output;
using FleetNet.Protocol.V1;
using Google.Protobuf;
using Grpc.Net.Client;

namespace FleetNet.Cli.Commands;

/// <summary><c>fleetnet hosts</c>: every host the hub knows, with its agent and what it can see.</summary>
internal static class HostsCommand
{
    public static async Task<int> RunAsync(CliArguments args, CancellationToken cancellationToken)
    {
        using var channel = HubConnection.Open(args);
        var response = await new Query.QueryClient(channel).ListHostsAsync(new ListHostsRequest(), cancellationToken: cancellationToken);
        if (args.Has("--json"))
        {
            Console.WriteLine(JsonFormatter.Default.Format(response));
            return 0;
        }

        var table = new Table(("HOST", false), ("LAST SEEN", false), ("KERNEL", false), ("AGENT", false), ("FIDELITY", false), ("COLLECTORS", false));
        foreach (var h in response.Hosts)
        {
            var lastSeen = DateTimeOffset.FromUnixTimeMilliseconds(h.LastSeenUnixMs).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            table.Add(h.Name, lastSeen, h.Kernel, h.AgentVersion, h.Fidelity, string.Join(',', h.Collectors));
        }

        Console.Write(table.Render(int.MaxValue));
        return 0;
    }
}
