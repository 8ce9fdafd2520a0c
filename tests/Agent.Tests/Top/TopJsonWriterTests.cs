using System.Text.Json;
using FleetNet.Agent.Top;

namespace FleetNet.Agent.Tests.Top;

public sealed class TopJsonWriterTests
{
    private readonly TopJsonWriter _writer = new();

    [Fact]
    public void Write_BurstOfProcesses_SameLineAsTheSerializerInSeveralFlushes()
    {
        // ~200 bytes a row: 2,000 rows are a line many FlushBytes long, written out in parts.
        var snapshot = Snapshot(2000);
        var expected = JsonSerializer.Serialize(snapshot, TopJsonContext.Default.TopSnapshot);
        Assert.True(expected.Length > 10 * TopJsonWriter.FlushBytes);

        Assert.Equal(expected + "\n", WriteLine(snapshot));
    }

    [Fact]
    public void Write_SmallAfterLarge_BuffersReusedLineStillExact()
    {
        WriteLine(Snapshot(3000));
        var small = Snapshot(2);

        Assert.Equal(JsonSerializer.Serialize(small, TopJsonContext.Default.TopSnapshot) + "\n", WriteLine(small));
    }

    [Fact]
    public void Write_EmptySnapshot_EmptyArrays()
    {
        var empty = Snapshot(0);

        Assert.Equal(JsonSerializer.Serialize(empty, TopJsonContext.Default.TopSnapshot) + "\n", WriteLine(empty));
    }

    private string WriteLine(TopSnapshot snapshot)
    {
        using var output = new StringWriter { NewLine = "\n" };
        _writer.Write(output, snapshot);
        return output.ToString();
    }

    private static TopSnapshot Snapshot(int processes)
    {
        var rows = new List<TopProcess>(processes);
        var endpoints = new List<TopEndpoint>(processes);
        for (var i = 0; i < processes; i++)
        {
            // Non-ASCII and escaped characters land on both sides of flush boundaries.
            rows.Add(new TopProcess((uint)(1000 + i), 1_700_000_000_000 + i, "wörker-" + i, "/usr/bin/wörker", "wörker --id \"" + i + "\"",
                1000, "/system.slice/w.service", "", "w.service", (ulong)i * 7, (ulong)i * 3, i * 7 / 1.5, i * 3 / 1.5, (ulong)i * 10, 0, 0, i % 2 == 0));
            endpoints.Add(new TopEndpoint((uint)(1000 + i), "wörker-" + i, "tcp", "198.18.0." + (i % 250), 443, (uint)(30000 + i), 100, 200, 0));
        }

        var containers = new List<TopContainer> { new("w.service", "", "", "", "w.service", "/system.slice/w.service", processes, 1, 2, 0.5, 1.25) };
        return new TopSnapshot("host-ü", "BtfTracepoint", DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123),
            DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_001_456).ToOffset(TimeSpan.FromHours(2)), 1.333, 10, 20, 3, 4, rows, containers, endpoints);
    }
}
