using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace FleetNet.FaultTests;

/// <summary>
/// A throwaway PostgreSQL cluster of the fault tests' own (from the installed binaries, as the postgres
/// user when root), so a scenario can restart it with <c>pg_ctl restart</c>. Each scenario gets a database.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private string _bin = "";
    private string _data = "";
    private int _port;

    public async Task InitializeAsync()
    {
        _bin = Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new InvalidOperationException("No PostgreSQL server binaries under /usr/lib/postgresql/*/bin (scripts/deps.sh installs them)");
        _data = Path.Combine(Path.GetTempPath(), $"fleetnet-fault-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_data);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres:postgres", _data);
        }

        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            _port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await RunAsync(Path.Combine(_bin, "initdb"), "-D", _data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        await PgCtlAsync("start");
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Timeout=5;Command Timeout=30";

    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"fault_{Guid.NewGuid():N}"[..24];
        await using var admin = new NpgsqlConnection(ConnectionString("postgres"));
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast mode: open connections are cut) and starts it again.</summary>
    public Task RestartAsync() => PgCtlAsync("restart", "-m", "fast");

    private Task PgCtlAsync(string action, params string[] extra) => RunAsync(Path.Combine(_bin, "pg_ctl"),
        ["-D", _data, "-w", "-t", "60", "-l", Path.Combine(_data, "server.log"),
         "-o", $"-c listen_addresses=127.0.0.1 -p {_port} -k {_data} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
         action, .. extra]);

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Path.Combine(_bin, "pg_ctl"), "-D", _data, "-m", "immediate", "stop");
        Directory.Delete(_data, recursive: true);
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var asPostgres = Environment.UserName == "root" && file != "chown";
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres)
        {
            foreach (var a in (string[])["-u", "postgres", "--", file])
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
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
