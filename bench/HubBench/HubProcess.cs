using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FleetNet.Bench;

/// <summary>The real hub as a child process on 127.0.0.1, stopped at the end.</summary>
internal sealed class HubProcess(Process process, string grpcUrl, string restUrl) : IAsyncDisposable
{
    public int Pid => process.Id;

    public string GrpcUrl => grpcUrl;

    public string RestUrl => restUrl;

    public static async Task<HubProcess> StartAsync(string dll, string connectionString)
    {
        var grpc = $"http://127.0.0.1:{FreePort()}";
        var rest = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.GetFullPath(dll));
        start.Environment["Storage__ConnectionString"] = connectionString;
        start.WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dll));
        start.Environment["Kestrel__Endpoints__Grpc__Url"] = grpc;
        start.Environment["Kestrel__Endpoints__Grpc__Protocols"] = "Http2";
        start.Environment["Kestrel__Endpoints__Rest__Protocols"] = "Http1";
        start.Environment["Kestrel__Endpoints__Rest__Url"] = rest;
        start.Environment["Tls__Mode"] = "Off";
        start.Environment["Jobs__Enabled"] = "false";
        start.Environment["Ingest__MaxClockSkew"] = "1.00:00:00";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // The bench measures storage, not authentication: the hub runs open on loopback, as in the quick start.
        start.Environment["Security__RequireAgentIdentity"] = "false";
        start.Environment["Security__RequireApiKeys"] = "false";
        // Simulated agents send faster than real ones; the per-agent rate limit would throttle the load.
        start.Environment["Security__AgentBatchesPerSecond"] = "100000";
        start.Environment["Security__AgentBatchBurst"] = "100000";
        var process = Process.Start(start)!;
        // Warnings and errors only (Logging__LogLevel__Default=Warning): a failing hub says why.
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"hub: {e.Data}"); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"hub: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 120; i++)
        {
            try
            {
                if ((await http.GetAsync($"{rest}/healthz")).IsSuccessStatusCode)
                {
                    return new HubProcess(process, grpc, rest);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }

        process.Kill();
        throw new InvalidOperationException("the hub did not become healthy within 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
