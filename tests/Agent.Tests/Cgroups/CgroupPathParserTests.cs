using FleetNet.Agent.Cgroups;

namespace FleetNet.Agent.Tests.Cgroups;

public sealed class CgroupPathParserTests
{
    private static readonly string FixtureRoot = Path.Combine(AppContext.BaseDirectory, "Fixtures", "cgroup");

    public static TheoryData<string, string, string, string, string> RealWorldPaths()
    {
        var data = new TheoryData<string, string, string, string, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(FixtureRoot, "paths.tsv")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var f = line.Split('\t');
            data.Add(f[0], Field(f[1]), Field(f[2]), Field(f[3]), Field(f[4]));
        }

        return data;

        static string Field(string value) => value == "-" ? "" : value;
    }

    [Theory]
    [MemberData(nameof(RealWorldPaths))]
    public void Parse_RealWorldPath_FindsUnitRuntimeContainerAndPod(string path, string unit, string runtime, string containerId, string podUid)
    {
        var identity = CgroupPathParser.Parse(path);

        Assert.Equal(path, identity.Path);
        Assert.Equal(unit, identity.Unit);
        Assert.Equal(runtime, identity.Runtime);
        Assert.Equal(containerId, identity.ContainerId);
        Assert.Equal(podUid, identity.PodUid);
        Assert.Equal("", identity.ContainerName);
    }

    [Fact]
    public void Parse_OddPaths_NeverThrowsAndKeepsThePath()
    {
        var lines = File.ReadAllLines(Path.Combine(FixtureRoot, "odd-paths.txt"));
        Assert.True(lines.Length > 10);
        foreach (var path in lines)
        {
            var identity = CgroupPathParser.Parse(path);
            Assert.Equal(path, identity.Path);
        }
    }

    [Fact]
    public void Parse_UnrecognisedPath_IsJustThePath()
    {
        Assert.Equal(CgroupIdentity.Unknown("/process_api/abc"), CgroupPathParser.Parse("/process_api/abc"));
    }
}
