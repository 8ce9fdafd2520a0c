using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FleetNet.Hub.Tests.Hosting;

/// <summary>
/// The real hub (<c>fleetnet-hub.dll</c> beside the tests) as a child process configured through environment
/// variables: started with its output kept, run to its end as a one-shot command, killed with SIGKILL.
/// What the hub is checked against (http or https, which clients) stays with the caller.
/// </summary>
public sealed class HubChildProcess(IReadOnlyDictionary<string, string> environment) : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    /// <summary>What the running hub printed on stdout and stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the hub and waits (bounded) until <paramref name="ready"/> says it answers.</summary>
    public async Task StartAsync(Func<Task<bool>> ready, TimeSpan timeout)
    {
        _process?.Dispose();
        _process = Process.Start(StartInfo([]))!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"the hub exited:\n{Log}");
            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Still starting.
            }
            catch (TaskCanceledException)
            {
                // Still starting.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the hub did not answer within {timeout.TotalSeconds:0} s:\n{Log}");
    }

    /// <summary>Runs the hub with <paramref name="arguments"/> to its end (a command, or a start that should fail).</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        return (process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
    }

    /// <summary>A one-shot command that must succeed (create-api-key, create-enrollment-token, print-ca); what it printed on stdout.</summary>
    public async Task<string> CommandAsync(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await RunAsync(arguments);
        Assert.True(exitCode == 0, $"fleetnet-hub {string.Join(' ', arguments)} failed ({exitCode}): {stderr}");
        return stdout;
    }

    /// <summary>SIGKILL: no graceful shutdown, open streams cut mid-batch.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private ProcessStartInfo StartInfo(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fleetnet-hub.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
