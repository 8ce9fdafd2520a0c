using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace FleetNet.Hub.Tests.Storage;

/// <summary>
/// A real PostgreSQL for the tests: the server named by FLEETNET_TEST_PG when set (a fresh database is
/// created on it and dropped afterwards), otherwise a throwaway cluster started from the installed
/// PostgreSQL binaries (as the postgres user when the tests run as root). A Docker engine is not used:
/// there is none on the machines this project is built on.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private string? _dataDirectory;
    private string? _binDirectory;
    private string? _adminConnectionString;
    private string _database = "";

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _database = $"fleetnet_test_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
        _adminConnectionString = Environment.GetEnvironmentVariable("FLEETNET_TEST_PG") is { Length: > 0 } external
            ? external
            : await StartClusterAsync();

        await using (var admin = new NpgsqlConnection(_adminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = _database, Pooling = true }.ConnectionString;
    }

    /// <summary>Empties every table but the migration history, so each test starts from nothing.</summary>
    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            DO $$ DECLARE tables text;
            BEGIN
                SELECT string_agg(format('%I', tablename), ', ') INTO tables
                FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations';
                IF tables IS NOT NULL THEN
                    EXECUTE 'TRUNCATE ' || tables || ' RESTART IDENTITY CASCADE';
                END IF;
            END $$
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataDirectory is null)
        {
            await using var admin = new NpgsqlConnection(_adminConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            return;
        }

        await RunAsync(Path.Combine(_binDirectory!, "pg_ctl"), "-D", _dataDirectory, "-m", "immediate", "stop");
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private async Task<string> StartClusterAsync()
    {
        _binDirectory = FindBinDirectory();
        _dataDirectory = Path.Combine(Path.GetTempPath(), $"fleetnet-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dataDirectory);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres:postgres", _dataDirectory);
        }

        var port = FreePort();
        await RunAsync(Path.Combine(_binDirectory, "initdb"), "-D", _dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), "-D", _dataDirectory, "-w", "-t", "60", "-l", Path.Combine(_dataDirectory, "server.log"),
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {_dataDirectory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            "start");
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

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

    /// <summary>Runs a PostgreSQL tool, as the postgres user when we are root (initdb refuses root).</summary>
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
