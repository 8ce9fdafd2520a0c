using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace FleetNet.Hub.Tests.Storage;

/// <summary>
/// A throwaway PostgreSQL cluster started from the installed server binaries (as the postgres user when
/// the tests run as root: initdb refuses root), on a free loopback port, deleted on dispose.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _data;

    private LocalPostgresCluster(string bin, string data, int port)
    {
        _bin = bin;
        _data = data;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    public static async Task<LocalPostgresCluster> StartAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), $"fleetnet-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres:postgres", data);
        }

        var cluster = new LocalPostgresCluster(FindBinDirectory(), data, FreePort());
        await RunAsync(Path.Combine(cluster._bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        await cluster.PgCtlAsync("start");
        return cluster;
    }

    /// <summary>Stops the server (fast mode: open connections are cut) and starts it again.</summary>
    public Task RestartAsync() => PgCtlAsync("restart", "-m", "fast");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Path.Combine(_bin, "pg_ctl"), "-D", _data, "-m", "immediate", "stop");
        Directory.Delete(_data, recursive: true);
    }

    private Task PgCtlAsync(string action, params string[] extra) => RunAsync(Path.Combine(_bin, "pg_ctl"),
        ["-D", _data, "-w", "-t", "60", "-l", Path.Combine(_data, "server.log"),
         "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {_data} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
         action, .. extra]);

    private static string FindBinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => b, StringComparer.Ordinal).ToList()
            : [];
        return candidates.FirstOrDefault()
            ?? throw new InvalidOperationException(
                "No PostgreSQL server binaries under /usr/lib/postgresql/*/bin. Run the README's test command (it installs them) or set FLEETNET_TEST_PG to a server's connection string.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a PostgreSQL tool, as the postgres user when we are root.</summary>
    private static async Task RunAsync(string file, params string[] arguments)
    {
        var asPostgres = Environment.UserName == "root" && file != "chown";
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in asPostgres ? ["-u", "postgres", "--", file, .. arguments] : arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
