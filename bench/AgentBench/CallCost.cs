using System.Diagnostics;
using System.Globalization;

namespace FleetNet.Bench.Agent;

/// <summary>
/// What one socket call costs (pingself.c: two TCP sockets of one process on loopback, one sends one byte and
/// the other receives it, many times over): run without programs, with the empty ones and with the agent,
/// the difference is what each adds to every call, steadier than any throughput figure.
/// </summary>
internal static class CallCost
{
    public const int Pairs = 100_000;

    public static string Compile() => Native.Compile("cc", "pingself.c", "fleetnet-pingself", "-O2", "-Wall");

    /// <summary>Mean nanoseconds of one send + receive pair, on the last CPU (see pingself.c).</summary>
    public static double NsPerPair(string binary)
    {
        string[] args = [Pairs.ToString(CultureInfo.InvariantCulture), (Environment.ProcessorCount - 1).ToString(CultureInfo.InvariantCulture)];
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
