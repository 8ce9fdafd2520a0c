using FleetNet.Cli.Output;
using FleetNet.Protocol.V1;
using Google.Protobuf;

namespace FleetNet.Cli.Commands;

/// <summary><c>fleetnet timeline</c> (bytes per step) and <c>fleetnet trend</c> (daily or weekly interface totals and peaks).</summary>
internal static class TimelineCommand
{
    public static async Task<int> TimelineAsync(CliArguments args, CancellationToken cancellationToken)
    {
        if (!QueryRequests.TryTimeline(args, out var request, out var error))
        {
            return Usage.Fail(error);
        }

        using var channel = HubConnection.Open(args);
        var response = await new Query.QueryClient(channel).TimelineAsync(request, cancellationToken: cancellationToken);
        return Print(args, response, $"FleetNet timeline: {QueryRequests.Describe(request.Window, request.From, request.To, "1h")}");
    }

    public static async Task<int> TrendAsync(CliArguments args, CancellationToken cancellationToken)
    {
        if (!QueryRequests.TryTrends(args, out var request, out var error))
        {
            return Usage.Fail(error);
        }

        using var channel = HubConnection.Open(args);
        var response = await new Query.QueryClient(channel).TrendsAsync(request, cancellationToken: cancellationToken);
        return Print(args, response, $"FleetNet trend: {QueryRequests.Describe(request.Window, request.From, request.To, "90d")}");
    }

    private static int Print(CliArguments args, TimelineResponse response, string title)
    {
        if (args.Has("--json"))
        {
            Console.WriteLine(JsonFormatter.Default.Format(response));
            return 0;
        }

        var table = new Table(("TIME", false), ("SENT", true), ("RECEIVED", true), ("TOTAL", true), ("PEAK", true));
        foreach (var p in response.Points)
        {
            table.Add($"{DateTimeOffset.FromUnixTimeMilliseconds(p.TimeUnixMs):yyyy-MM-dd HH:mm}", Bytes.Format((ulong)p.TxBytes), Bytes.Format((ulong)p.RxBytes),
                Bytes.Format((ulong)(p.TxBytes + p.RxBytes)), p.PeakBps > 0 ? $"{p.PeakBps / 1e6:0.###} Mbit/s" : "");
        }

        Console.Write($"{title}, step {response.Step}, source {response.Source}\n\n{table.Render(int.MaxValue)}");
        return 0;
    }
}
