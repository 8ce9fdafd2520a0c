using System.Diagnostics;

namespace FleetNet.Hub.Tests.Hosting;

public sealed class StartupTests
{
    [Fact]
    public async Task Main_NoPostgreSql_PrintsOneReadableLineAndExits2()
    {
        var hub = Path.Combine(AppContext.BaseDirectory, "fleetnet-hub.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(hub);
        start.Environment["Storage__ConnectionString"] = "Host=127.0.0.1;Port=1;Database=fleetnet;Username=fleetnet;Timeout=3";
        start.Environment["Kestrel__Endpoints__Rest__Url"] = "http://127.0.0.1:0";
        start.Environment["Kestrel__Endpoints__Grpc__Url"] = "http://127.0.0.1:0";
        start.Environment["Tls__Mode"] = "Off";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        var error = (await stderr).Trim();
        Assert.Single(error.Split('\n'));
        Assert.Contains("cannot reach PostgreSQL at 127.0.0.1:1", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", await stdout + error, StringComparison.Ordinal);
    }
}
