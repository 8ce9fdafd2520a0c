using System.Diagnostics;
using System.Globalization;

namespace FleetNet.Bench.Agent;

/// <summary>
/// What one socket call costs (pingself.c: a UDP socket on loopback, connected to itself, sends one byte and
/// receives it, many times over): run without programs, with the empty ones and with the agent, the
/// difference is what each adds to every call, steadier than any throughput figure.
/// </summary>
internal static class CallCost
{
    public const int Pairs = 200_000;

    public static string Compile() => Native.Compile("cc", "pingself.c", "fleetnet-pingself", "-O2", "-Wall");

    /// <summary>Mean nanoseconds of one send + receive pair, on the last CPU (see pingself.c).</summary>
    public static double NsPerPair(string binary, int port)
    {
        string[] args = [port.ToString(CultureInfo.InvariantCulture), Pairs.ToString(CultureInfo.InvariantCulture), (Environment.ProcessorCount - 1).ToString(CultureInfo.InvariantCulture)];
        using var process = Process.Start(new ProcessStartInfo(binary, args)
        {
            RedirectStandardOutput = true,
        })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{binary} failed (exit {process.ExitCode})");
        }

        return double.Parse(output, CultureInfo.InvariantCulture);
    }
}
