namespace FleetNet.Hub.Tests.Hosting;

public sealed class StartupTests
{
    [Fact]
    public async Task Main_NoPostgreSql_PrintsOneReadableLineAndExits2()
    {
        await using var hub = new HubChildProcess(new Dictionary<string, string>
        {
            ["Storage__ConnectionString"] = "Host=127.0.0.1;Port=1;Database=fleetnet;Username=fleetnet;Timeout=3",
            ["Kestrel__Endpoints__Rest__Url"] = "http://127.0.0.1:0",
            ["Kestrel__Endpoints__Grpc__Url"] = "http://127.0.0.1:0",
            ["Tls__Mode"] = "Off",
        });

        var (exitCode, stdout, error) = await hub.RunAsync();

        Assert.Equal(2, exitCode);
        Assert.Single(error.Split('\n'));
        Assert.Contains("cannot reach PostgreSQL at 127.0.0.1:1", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + error, StringComparison.Ordinal);
    }
}
