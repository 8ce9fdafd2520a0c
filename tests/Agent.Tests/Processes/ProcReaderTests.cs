using FleetNet.Agent.Processes;

namespace FleetNet.Agent.Tests.Processes;

public sealed class ProcReaderTests : IDisposable
{
    private readonly ProcFixture _fixture = new();
    private readonly ProcReader _reader;

    public ProcReaderTests() => _reader = new ProcReader(_fixture.Root);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void TryReadBootTimeSeconds_ProcStat_ReturnsBtime()
    {
        Assert.True(_reader.TryReadBootTimeSeconds(out var btime));
        Assert.Equal(1_700_000_000, btime);
    }

    [Fact]
    public void TryReadBootTimeSeconds_MissingRoot_ReturnsFalse()
    {
        Assert.False(new ProcReader(Path.Combine(_fixture.Root, "nope")).TryReadBootTimeSeconds(out _));
    }

    [Theory]
    [InlineData(100u, 12345ul)]
    [InlineData(200u, 500ul)] // comm "we ird) (name" holds spaces and parentheses
    public void TryReadStartTicks_WellFormedStat_ReturnsField22(uint pid, ulong expected)
    {
        Assert.True(_reader.TryReadStartTicks(pid, out var ticks));
        Assert.Equal(expected, ticks);
    }

    [Theory]
    [InlineData(300u)] // truncated inside field 22
    [InlineData(400u)] // no comm parentheses
    [InlineData(600u)] // vanished: no such pid
    public void TryReadStartTicks_TruncatedMalformedOrVanished_ReturnsFalse(uint pid)
    {
        Assert.False(_reader.TryReadStartTicks(pid, out _));
    }

    [Fact]
    public void IsAlive_MatchingAndReusedStartTimes_TellsThemApart()
    {
        Assert.True(_reader.IsAlive(100, 123_450_000_000));
        Assert.True(_reader.IsAlive(100, 123_459_999_999)); // same clock tick
        Assert.False(_reader.IsAlive(100, 123_460_000_000)); // pid reused by a later process
        Assert.False(_reader.IsAlive(600, 0));
    }

    [Fact]
    public void ReadProcess_CompleteProcess_ReadsExeCmdlineUidCgroup()
    {
        var info = _reader.ReadProcess(100, 123_450_000_000);

        Assert.Equal(new ProcessInfo("/usr/bin/curl", "curl -s http://example.test/a b", 1000, "/system.slice/backup.service"), info);
    }

    [Fact]
    public void ReadProcess_NoExeLinkAndCgroupV1Lines_TakesTheV2Line()
    {
        var info = _reader.ReadProcess(200, 5_000_000_000);

        Assert.Equal(new ProcessInfo("", "weird", 0, "/user.slice/user-1000.slice/session-2.scope"), info);
    }

    [Fact]
    public void ReadProcess_FilesVanishedMidRead_ReturnsWhatWasReadable()
    {
        var info = _reader.ReadProcess(500, 7_000_000_000);

        Assert.Equal(new ProcessInfo("", "", null, ""), info);
    }

    [Fact]
    public void ReadProcess_TwoProcessesOfOneProgram_ShareTheirStrings()
    {
        var copy = Path.Combine(_fixture.Root, "700");
        Directory.CreateDirectory(copy);
        foreach (var file in new[] { "stat", "cmdline", "status", "cgroup" })
        {
            File.Copy(Path.Combine(_fixture.Root, "100", file), Path.Combine(copy, file));
        }

        File.CreateSymbolicLink(Path.Combine(copy, "exe"), "/usr/bin/curl");

        var first = _reader.ReadProcess(100, 123_450_000_000);
        var second = _reader.ReadProcess(700, 123_450_000_000);

        Assert.Equal(first, second);
        Assert.Same(first.Exe, second.Exe);
        Assert.Same(first.Cmdline, second.Cmdline);
        Assert.Same(first.Cgroup, second.Cgroup);
    }

    [Theory]
    [InlineData(100u, 1ul)] // start time differs: another process now has this pid
    [InlineData(300u, 120_000_000ul)]
    [InlineData(400u, 0ul)]
    [InlineData(600u, 0ul)]
    public void ReadProcess_ReusedMalformedOrVanishedPid_ReturnsUnknown(uint pid, ulong startNs)
    {
        Assert.Same(ProcessInfo.Unknown, _reader.ReadProcess(pid, startNs));
    }

    [Fact]
    public void TryReadEffectiveCapabilities_SelfStatus_ParsesHexMask()
    {
        Assert.True(_reader.TryReadEffectiveCapabilities(out var mask));
        Assert.Equal((1UL << 38) | (1UL << 39), mask);
    }
}
