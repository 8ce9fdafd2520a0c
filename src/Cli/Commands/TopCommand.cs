using System.Globalization;
using FleetNet.Cli.Output;
using FleetNet.Protocol.V1;
using Google.Protobuf;

namespace FleetNet.Cli.Commands;

/// <summary><c>fleetnet top</c>: the top talkers across the fleet by process, program, host, container, endpoint or interface, refreshed like top(1).</summary>
internal static class TopCommand
{
    public static async Task<int> RunAsync(CliArguments args, CancellationToken cancellationToken)
    {
        if (!QueryRequests.TryTop(args, out var request, out var error))
        {
            return Usage.Fail(error);
        }

        var refresh = 2;
        if (args.Get("--interval") is { } intervalText && (!int.TryParse(intervalText, out refresh) || refresh is < 1 or > 3600))
        {
            return Usage.Fail($"--interval '{intervalText}' is not valid; it must be 1 to 3600 seconds");
        }

        using var channel = HubConnection.Open(args);
        var client = new Query.QueryClient(channel);
        var live = !args.Has("--json") && !args.Has("--once") && !Console.IsOutputRedirected;
        while (true)
        {
            var response = await client.TopAsync(request, cancellationToken: cancellationToken);
            if (args.Has("--json"))
            {
                Console.WriteLine(JsonFormatter.Default.Format(response));
                return 0;
            }

            var text = Render(request, response, args.Hub);
            if (!live)
            {
                Console.Write(text);
                return 0;
            }

            Console.Write("\x1b[H\x1b[2J" + text);
            await Task.Delay(TimeSpan.FromSeconds(refresh), cancellationToken);
        }
    }

    internal static string Render(TopRequest request, TopResponse response, string hub)
    {
        var table = new Table((Title(request.GroupBy), false), ("SENT", true), ("RECEIVED", true), ("TOTAL", true), ("DETAIL", false));
        foreach (var row in response.Items)
        {
            var (name, detail) = Describe(request.GroupBy, row);
            table.Add(name, Bytes.Format((ulong)row.TxBytes), Bytes.Format((ulong)row.RxBytes), Bytes.Format((ulong)(row.TxBytes + row.RxBytes)), detail);
        }

        if (response.OtherTxBytes + response.OtherRxBytes > 0)
        {
            table.Add("(other)", Bytes.Format((ulong)response.OtherTxBytes), Bytes.Format((ulong)response.OtherRxBytes),
                Bytes.Format((ulong)(response.OtherTxBytes + response.OtherRxBytes)), "");
        }

        var to = DateTimeOffset.FromUnixTimeMilliseconds(response.ToUnixMs);
        var header = $"FleetNet top {request.GroupBy}: {QueryRequests.Describe(request.Window, request.From, request.To, "1h")} to {to:yyyy-MM-dd HH:mm:ss}Z from {hub}; "
            + $"total sent {Bytes.Format((ulong)response.TotalTxBytes)}, received {Bytes.Format((ulong)response.TotalRxBytes)}; source {response.Source}"
            + (response.HasNextOffset ? $"; more from --offset {response.NextOffset.ToString(CultureInfo.InvariantCulture)}" : "") + "\n\n";
        var width = Console.IsOutputRedirected ? int.MaxValue : Math.Max(Console.WindowWidth, 40);
        return header + table.Render(width);
    }

    private static string Title(string groupBy) => groupBy switch
    {
        "processes" => "HOST PID PROCESS",
        "names" => "PROGRAM",
        "hosts" => "HOST",
        "containers" => "CONTAINER",
        "endpoints" => "ENDPOINT",
        _ => "HOST INTERFACE",
    };

    private static (string Name, string Detail) Describe(string groupBy, TopRow row) => groupBy switch
    {
        "processes" => ($"{row.Host} {row.Pid.ToString(CultureInfo.InvariantCulture)} {row.Process}", row.Exe),
        "names" => (row.Process, row.Exe),
        "hosts" => (row.Host, ""),
        "containers" => (row.Container, row.HasHost ? row.Host : ""),
        "endpoints" => ($"{row.Address}:{row.Port.ToString(CultureInfo.InvariantCulture)}", string.Join(' ', new[] { row.Host, row.Process }.Where(s => s.Length > 0))),
        _ => ($"{row.Host} {row.Interface}", ""),
    };
}
