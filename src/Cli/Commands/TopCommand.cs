using FleetNet.Cli.Output;
using FleetNet.Protocol.V1;
using Google.Protobuf;
using Grpc.Net.Client;

namespace FleetNet.Cli.Commands;

/// <summary><c>fleetnet top</c>: the top talking processes across the fleet, refreshed like top(1).</summary>
internal static class TopCommand
{
    public static async Task<int> RunAsync(CliArguments args, CancellationToken cancellationToken)
    {
        var window = args.Get("--window") ?? "1h";
        if (!TimeWindow.TryParse(window, out _, out var windowError))
        {
            return Usage.Fail(windowError);
        }

        var limit = 20;
        if (args.Get("--limit") is { } limitText && (!int.TryParse(limitText, out limit) || limit is < 1 or > 1000))
        {
            return Usage.Fail($"--limit '{limitText}' is not valid; it must be a whole number from 1 to 1000");
        }

        var refresh = 2;
        if (args.Get("--interval") is { } intervalText && (!int.TryParse(intervalText, out refresh) || refresh is < 1 or > 3600))
        {
            return Usage.Fail($"--interval '{intervalText}' is not valid; it must be 1 to 3600 seconds");
        }

        using var channel = HubConnection.Open(args);
        var client = new Query.QueryClient(channel);
        var request = new TopProcessesRequest { Window = window, Limit = limit, Host = args.Get("--host") ?? "" };
        var live = !args.Has("--json") && !args.Has("--once") && !Console.IsOutputRedirected;
        while (true)
        {
            var response = await client.TopProcessesAsync(request, cancellationToken: cancellationToken);
            if (args.Has("--json"))
            {
                Console.WriteLine(JsonFormatter.Default.Format(response));
                return 0;
            }

            var text = Render(response, window, args.Hub);
            if (!live)
            {
                Console.Write(text);
                return 0;
            }

            Console.Write("\x1b[H\x1b[2J" + text);
            await Task.Delay(TimeSpan.FromSeconds(refresh), cancellationToken);
        }
    }

    internal static string Render(TopProcessesResponse response, string window, string hub)
    {
        var table = new Table(("HOST", false), ("PID", true), ("PROCESS", false), ("SENT", true), ("RECEIVED", true), ("TOTAL", true), ("EXE", false));
        foreach (var p in response.Items)
        {
            table.Add(p.Host, p.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Process,
                Bytes.Format(p.TxBytes), Bytes.Format(p.RxBytes), Bytes.Format(p.TxBytes + p.RxBytes), p.Exe);
        }

        var to = DateTimeOffset.FromUnixTimeMilliseconds(response.ToUnixMs);
        var header = $"FleetNet top: last {window} to {to:yyyy-MM-dd HH:mm:ss}Z from {hub}, {response.Items.Count} processes\n\n";
        var width = Console.IsOutputRedirected ? int.MaxValue : Math.Max(Console.WindowWidth, 40);
        return header + table.Render(width);
    }
}
