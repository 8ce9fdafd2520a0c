using System.Buffers;
using System.Text;
using System.Text.Json;
using FleetNet.Agent.Cgroups;
using FleetNet.Agent.Endpoints;
using FleetNet.Agent.Hosting;
using FleetNet.Agent.Interfaces;
using FleetNet.Agent.Processes;
using FleetNet.Agent.Unattributed;

namespace FleetNet.Agent.Top;

/// <summary>
/// <c>fleetnet-agent top</c>: this host's traffic per process, container and remote endpoint, refreshed
/// every interval, with no hub. Uses the same collectors as the agent (same fidelity chain).
/// </summary>
internal sealed class TopCommand(
    TopOptions top,
    ProcessSourceHolder processes,
    InterfaceCollector interfaces,
    CgroupResolver cgroups,
    UnattributedCalculator unattributed,
    HostIdentity host,
    TimeProvider time)
{
    private readonly List<ProcessUsage> _usage = [];
    private readonly List<EndpointUsage> _endpoints = [];
    private readonly List<InterfaceUsage> _interfaceUsage = [];

    // JSON lines are built in a buffer kept across intervals (a busy host's line is larger than the
    // large-object threshold; a new one per interval would pile up until a full collection) and written
    // out through a small char buffer, not as one string or char array as large again as the line.
    private const int JsonBufferBytes = 64 * 1024;
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly char[] _chars = new char[8 * 1024];
    private ArrayBufferWriter<byte> _json = new(JsonBufferBytes);
    private Utf8JsonWriter? _jsonWriter;
    private int _lastJsonBytes;

    public async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var source = processes.Source;
        source?.Collect(_usage); // baseline: only what happens from now on is shown
        source?.CollectEndpoints(_endpoints);
        interfaces.Collect(_interfaceUsage);
        var from = time.GetUtcNow();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(top.IntervalSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var to = time.GetUtcNow();
                var snapshot = Take(from, to);
                from = to;
                if (top.Json)
                {
                    WriteJsonLine(output, snapshot);
                }
                else
                {
                    TopRenderer.Write(output, snapshot, clear: !top.Once);
                }

                if (top.Once)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        return AgentExitCodes.Ok;
    }

    private void WriteJsonLine(TextWriter output, TopSnapshot snapshot)
    {
        // After a burst (one line of thousands of processes) the buffer goes back to its first size.
        if (_json.Capacity > 4 * JsonBufferBytes && _lastJsonBytes < _json.Capacity / 4)
        {
            _json = new ArrayBufferWriter<byte>(JsonBufferBytes);
            _jsonWriter = null;
        }

        _json.ResetWrittenCount();
        if (_jsonWriter is null)
        {
            _jsonWriter = new Utf8JsonWriter(_json);
        }
        else
        {
            _jsonWriter.Reset(_json);
        }

        JsonSerializer.Serialize(_jsonWriter, snapshot, TopJsonContext.Default.TopSnapshot);
        var bytes = _json.WrittenSpan;
        _lastJsonBytes = bytes.Length;
        _decoder.Reset();
        while (!bytes.IsEmpty)
        {
            _decoder.Convert(bytes, _chars, flush: false, out var bytesUsed, out var charsUsed, out _);
            output.Write(_chars, 0, charsUsed);
            bytes = bytes[bytesUsed..];
        }

        output.WriteLine();
        output.Flush();
    }

    internal TopSnapshot Take(DateTimeOffset from, DateTimeOffset to)
    {
        _usage.Clear();
        _endpoints.Clear();
        _interfaceUsage.Clear();
        processes.Source?.Collect(_usage);
        processes.Source?.CollectEndpoints(_endpoints);
        interfaces.Collect(_interfaceUsage);
        var seconds = (to - from).TotalSeconds;
        var (rows, containers, endpoints) = TopAggregator.Aggregate(_usage, _endpoints, cgroups, seconds, top.Limit);
        var balance = unattributed.Compute(_interfaceUsage, _usage);
        return new TopSnapshot(host.HostName, processes.Fidelity.ToString(), from, to, seconds,
            balance.InterfaceRxBytes, balance.InterfaceTxBytes, balance.RxBytes, balance.TxBytes, rows, containers, endpoints);
    }
}
