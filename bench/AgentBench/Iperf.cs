using System.Diagnostics;
using System.Text.Json;

namespace FleetNet.Bench.Agent;

/// <summary>One bounded iperf3 run on loopback: server (one test) and client, with iperf3's own byte counts.</summary>
internal static class Iperf
{
    /// <summary>One run's counts; the CPU figures are iperf3's own (percent of one core, its whole run).</summary>
    public sealed record Result(int ClientPid, int ServerPid, ulong ClientSentBytes, ulong ServerReceivedBytes, double BitsPerSecond)
    {
        public double ClientCpuPercent { get; init; }

        public double ServerCpuPercent { get; init; }
    }

    public static Result Run(bool udp, int seconds, int port)
    {
        using var server = Process.Start(new ProcessStartInfo("iperf3", ["-s", "-1", "-p", port.ToString(), "-J"]) { RedirectStandardOutput = true })!;
        var serverOut = server.StandardOutput.ReadToEndAsync();
        Thread.Sleep(300); // the server must listen before the client connects (bench only, not a test)
        string[] args = udp
            ? ["-c", "127.0.0.1", "-p", port.ToString(), "-t", seconds.ToString(), "-J", "-u", "-b", "2G", "-l", "1400"]
            : ["-c", "127.0.0.1", "-p", port.ToString(), "-t", seconds.ToString(), "-J"];
        using var client = Process.Start(new ProcessStartInfo("iperf3", args) { RedirectStandardOutput = true })!;
        var clientOut = client.StandardOutput.ReadToEnd();
        client.WaitForExit();
        server.WaitForExit(10_000);
        using var c = JsonDocument.Parse(clientOut);
        using var s = JsonDocument.Parse(serverOut.Result);
        var end = c.RootElement.GetProperty("end");
        if (udp)
        {
            var sum = end.GetProperty("sum");
            var serverSum = s.RootElement.GetProperty("end").GetProperty("sum");
            return new Result(client.Id, server.Id, sum.GetProperty("bytes").GetUInt64(), serverSum.GetProperty("bytes").GetUInt64(),
                sum.GetProperty("bits_per_second").GetDouble());
        }

        var cpu = end.GetProperty("cpu_utilization_percent");
        return new Result(client.Id, server.Id,
            end.GetProperty("sum_sent").GetProperty("bytes").GetUInt64(),
            end.GetProperty("sum_received").GetProperty("bytes").GetUInt64(),
            end.GetProperty("sum_received").GetProperty("bits_per_second").GetDouble())
        {
            ClientCpuPercent = cpu.GetProperty("host_total").GetDouble(),
            ServerCpuPercent = cpu.GetProperty("remote_total").GetDouble(),
        };
    }
}
