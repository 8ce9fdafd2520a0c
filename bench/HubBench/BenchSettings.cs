namespace FleetNet.Bench;

/// <summary>Command line: --agents N --processes N --seconds S --warmup S --hosts 1000,10000 --runs N --hub-dll PATH; PostgreSQL from FLEETNET_BENCH_PG or FLEETNET_TEST_PG.</summary>
internal sealed record BenchSettings(string AdminConnectionString, string HubDll, int Agents, int Processes, int Seconds, int[] QueryHosts, int QueryRuns, int WarmupSeconds)
{
    public static BenchSettings FromArgs(string[] args)
    {
        string Arg(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var pg = Environment.GetEnvironmentVariable("FLEETNET_BENCH_PG") ?? Environment.GetEnvironmentVariable("FLEETNET_TEST_PG")
            ?? throw new InvalidOperationException("set FLEETNET_BENCH_PG (or FLEETNET_TEST_PG) to a PostgreSQL connection string; a database is created and dropped");
        return new BenchSettings(
            pg,
            Arg("--hub-dll", Path.Combine(AppContext.BaseDirectory, "../../../../../src/Hub/bin/Release/net10.0/fleetnet-hub.dll")),
            int.Parse(Arg("--agents", "200"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Arg("--processes", "100"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Arg("--seconds", "30"), System.Globalization.CultureInfo.InvariantCulture),
            Arg("--hosts", "1000").Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            int.Parse(Arg("--runs", "40"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Arg("--warmup", "10"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
