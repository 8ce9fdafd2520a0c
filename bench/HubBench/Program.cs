using FleetNet.Bench;

// fleetnet-hub-bench: starts a real hub (child process) against a fresh database, drives it with N simulated
// agents over the real gRPC ingest protocol, then compares with a raw binary COPY of the same rows and times
// queries. Every phase is bounded in time and count. Figures only; nothing is asserted.
var settings = BenchSettings.FromArgs(args);
await using var database = await BenchDatabase.CreateAsync(settings.AdminConnectionString);
await using var hub = await HubProcess.StartAsync(settings.HubDll, database.ConnectionString);
Console.WriteLine($"hub pid {hub.Pid}, database {database.Name}, {Environment.ProcessorCount} cores");

// Warm-up on other hosts (JIT tiers, pools, partitions), not counted: the figures are the hub's steady state.
var warm = await IngestLoad.RunAsync(hub.GrpcUrl, settings, "warm-", settings.WarmupSeconds);
Console.WriteLine($"warm-up: {warm.Samples:N0} samples in {warm.Elapsed.TotalSeconds:F1} s (not counted)");
var cpu = new CpuTime(hub.Pid, database.ConnectionString);
var before = await cpu.TakeAsync();
var agentsCpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
var ingest = await IngestLoad.RunAsync(hub.GrpcUrl, settings, "bench-", settings.Seconds);
var (hubCpu, pgCpu, vacuumCpu) = CpuTime.Between(before, await cpu.TakeAsync());
agentsCpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - agentsCpu;
var copy = await RawCopy.RunAsync(database.ConnectionString, "bench-");
var e2eRate = ingest.Samples / ingest.Elapsed.TotalSeconds;
Console.WriteLine($"ingest end-to-end (gRPC, {settings.Agents} agents): {ingest.Samples:N0} samples committed in {ingest.Elapsed.TotalSeconds:F1} s = {e2eRate:N0} samples/s");
Console.WriteLine($"raw binary COPY of the same rows into the same tables ({copy.Tables}; {copy.Transactions:N0} transactions, as many as the hub's): {copy.Rows:N0} rows in {copy.Elapsed.TotalSeconds:F1} s = {copy.Rows / copy.Elapsed.TotalSeconds:N0} samples/s");
Console.WriteLine($"ratio raw COPY time / end-to-end time (= end-to-end samples/s / raw COPY samples/s): {e2eRate / (copy.Rows / copy.Elapsed.TotalSeconds):F2}");
Console.WriteLine($"CPU per 1M samples: end-to-end hub {hubCpu * 1e6 / Math.Max(ingest.Samples, 1):F1} s + PostgreSQL {pgCpu * 1e6 / Math.Max(ingest.Samples, 1):F1} s (of which autovacuum {vacuumCpu * 1e6 / Math.Max(ingest.Samples, 1):F1} s); raw COPY PostgreSQL {copy.PostgresCpu * 1e6 / Math.Max(copy.Rows, 1):F1} s; the simulated agents (this process) {agentsCpu.TotalSeconds * 1e6 / Math.Max(ingest.Samples, 1):F1} s");
await Storage.PrintBytesPerSampleAsync(database.ConnectionString);

foreach (var hosts in settings.QueryHosts)
{
    if (hosts <= 0)
    {
        continue; // --hosts 0: ingest and storage only
    }

    await QueryLoad.RunAsync(database.ConnectionString, hub.RestUrl, hosts, settings);
}
