using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FleetNet.Bench.Agent;

/// <summary>
/// Thousands of short-lived processes per second: churn.c, compiled here with cc, starts them (clone with
/// CLONE_VM, no exec: each its own pid and exit status, without fork's page-table copy;
/// at most <see cref="Parallel"/> alive at once); each connects over loopback, sends exactly
/// <see cref="BytesEach"/> bytes and exits.
/// </summary>
internal static class Churn
{
    public const int BytesEach = 100;
    public const int Parallel = 64;

    public sealed record Result(List<int> Pids, HashSet<int> Failed, double Seconds, DateTimeOffset Started, DateTimeOffset Ended)
    {
        public double PerSecond => Pids.Count / Seconds;
    }

    /// <summary>Compiles the spawner once per run; returns its path.</summary>
    public static string Compile() => Native.Compile("cc", "churn.c", "fleetnet-churn", "-O2", "-Wall");

    public static Result Run(string spawner, int count)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(4096);
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var acceptor = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Socket s;
                try
                {
                    s = await listener.AcceptSocketAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using (s)
                    {
                        var buffer = new byte[256];
                        while (await s.ReceiveAsync(buffer) > 0)
                        {
                        }
                    }
                });
            }
        });

        var started = DateTimeOffset.UtcNow;
        using var process = Process.Start(new ProcessStartInfo(spawner, [port.ToString(), count.ToString(), BytesEach.ToString(), Parallel.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var pids = new List<int>(count);
        while (process.StandardOutput.ReadLine() is { } line)
        {
            pids.Add(int.Parse(line));
        }

        process.WaitForExit();
        var ended = DateTimeOffset.UtcNow;
        var failed = new HashSet<int>();
        var seconds = double.NaN;
        foreach (var line in stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("failed ", StringComparison.Ordinal))
            {
                failed.Add(int.Parse(line["failed ".Length..]));
            }
            else if (line.StartsWith("seconds ", StringComparison.Ordinal))
            {
                seconds = double.Parse(line["seconds ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        Thread.Sleep(500);
        stop.Cancel();
        acceptor.Wait(5000);
        return new Result(pids, failed, seconds, started, ended);
    }
}
