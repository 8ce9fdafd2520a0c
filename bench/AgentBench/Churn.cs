using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FleetNet.Bench.Agent;

/// <summary>Thousands of short-lived processes (bash subshells), each connecting and sending exactly 100 bytes.</summary>
internal static class Churn
{
    public const int BytesEach = 100;

    public static (int Started, double Seconds, HashSet<int> Pids) Run(int count)
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

        // Each subshell prints its own pid, connects, sends 100 bytes and exits.
        var script = $"for i in $(seq {count}); do ( echo $BASHPID; exec 3<>/dev/tcp/127.0.0.1/{port}; printf '%{BytesEach}s' '' >&3 ) & done; wait";
        var watch = Stopwatch.StartNew();
        using var bash = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", script]) { RedirectStandardOutput = true })!;
        var pids = new HashSet<int>();
        while (bash.StandardOutput.ReadLine() is { } line)
        {
            pids.Add(int.Parse(line));
        }

        bash.WaitForExit();
        var seconds = watch.Elapsed.TotalSeconds;
        Thread.Sleep(500);
        stop.Cancel();
        acceptor.Wait(5000);
        return (count, seconds, pids);
    }
}
