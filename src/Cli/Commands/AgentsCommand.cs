using System.Globalization;
using FleetNet.Cli.Output;
using FleetNet.Protocol.V1;
using Google.Protobuf;

namespace FleetNet.Cli.Commands;

/// <summary><c>fleetnet agents</c>: per agent, batches sent / stored / duplicate / rejected / lost.</summary>
internal static class AgentsCommand
{
    public static async Task<int> RunAsync(CliArguments args, CancellationToken cancellationToken)
    {
        using var channel = HubConnection.Open(args);
        var response = await new Agents.AgentsClient(channel).ListAgentsAsync(new ListAgentsRequest(), cancellationToken: cancellationToken);
        if (args.Has("--json"))
        {
            Console.WriteLine(JsonFormatter.Default.Format(response));
            return 0;
        }

        var table = new Table(("HOST", false), ("SENT", true), ("STORED", true), ("DUPLICATE", true), ("REJECTED", true), ("LOST", true),
            ("SAMPLES LOST", true), ("LAST REJECTION", false));
        foreach (var a in response.Agents)
        {
            table.Add(a.Host, N(a.BatchesSent), N(a.BatchesStored), N(a.BatchesDuplicate), N(a.BatchesRejected), N(a.BatchesLost), N(a.SamplesLost), a.LastRejection);
        }

        Console.Write(table.Render(int.MaxValue));
        return 0;
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
