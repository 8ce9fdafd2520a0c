using FleetNet.Agent.Cgroups;
using FleetNet.Agent.Pipeline;
using FleetNet.Agent.Processes;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Tests.Cgroups;

public sealed class CgroupResolverTests
{
    private const string DockerId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string PodmanId = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

    private static readonly string RuntimeRoot = Path.Combine(AppContext.BaseDirectory, "Fixtures", "cgroup", "runtime");

    private readonly CgroupResolver _resolver = new(Options.Create(new AgentOptions { RuntimeRoot = RuntimeRoot }));

    [Fact]
    public void Resolve_DockerScope_ReadsNameFromConfigV2()
    {
        var identity = _resolver.Resolve(7, $"/system.slice/docker-{DockerId}.scope");

        Assert.Equal("docker", identity.Runtime);
        Assert.Equal(DockerId, identity.ContainerId);
        Assert.Equal("web-frontend", identity.ContainerName);
    }

    [Fact]
    public void Resolve_PodmanScope_ReadsFirstNameFromContainersJson()
    {
        var identity = _resolver.Resolve(8, $"/machine.slice/libpod-{PodmanId}.scope");

        Assert.Equal("podman", identity.Runtime);
        Assert.Equal("db-primary", identity.ContainerName);
    }

    [Fact]
    public void Resolve_MetadataMissing_KeepsIdWithoutName()
    {
        var id = new string('a', 64);
        var identity = _resolver.Resolve(9, $"/system.slice/docker-{id}.scope");

        Assert.Equal(id, identity.ContainerId);
        Assert.Equal("", identity.ContainerName);
    }

    [Fact]
    public void Resolve_SameIdTwice_ReturnsCachedAndReparsesWhenPathChanges()
    {
        var first = _resolver.Resolve(10, "/system.slice/a.service");
        Assert.Same(first, _resolver.Resolve(10, "/system.slice/a.service"));

        var moved = _resolver.Resolve(10, "/system.slice/b.service");
        Assert.Equal("b.service", moved.Unit);
        Assert.Equal(1, _resolver.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"Name\": 5}")]
    [InlineData("{\"State\": {\"Name\": \"/nested\"}")]
    public void ParseDockerName_MalformedJson_IsEmpty(string json)
    {
        Assert.Equal("", ContainerNameReader.ParseDockerName(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[{\"id\":\"x\",\"names\":[")]
    [InlineData("{\"id\":\"x\"}")]
    public void ParsePodmanName_MalformedJson_IsEmpty(string json)
    {
        Assert.Equal("", ContainerNameReader.ParsePodmanName(System.Text.Encoding.UTF8.GetBytes(json), "x"));
    }

    [Fact]
    public void Build_ProcessesInTwoCgroups_OneCgroupInfoEach()
    {
        var builder = new BatchBuilder(new AgentEpoch(1), new CgroupInfoWriter(_resolver));
        var docker = $"/system.slice/docker-{DockerId}.scope";
        List<ProcessUsage> processes =
        [
            Usage(1, docker, 100), Usage(2, docker, 100), Usage(3, "/system.slice/nginx.service", 200), Usage(4, "", 0),
        ];

        var batch = Batch.Parser.ParseFrom(builder.Encode(0, 10_000, [], processes, [], new Drops()));

        Assert.Equal(2, batch.Cgroups.Count);
        var info = batch.Cgroups[0];
        Assert.Equal(100UL, info.Id);
        Assert.Equal(docker, batch.Strings[(int)info.Path]);
        Assert.Equal("docker", batch.Strings[(int)info.Runtime]);
        Assert.Equal(DockerId, batch.Strings[(int)info.ContainerId]);
        Assert.Equal("web-frontend", batch.Strings[(int)info.ContainerName]);
        Assert.Equal(0U, info.PodUid);
        Assert.Equal("nginx.service", batch.Strings[(int)batch.Cgroups[1].Unit]);
        Assert.Equal(0U, batch.Cgroups[1].ContainerId);
    }

    private static ProcessUsage Usage(uint pid, string cgroup, ulong cgroupId) =>
        new(pid, 1000, "p", "/bin/p", "p", cgroup, cgroupId, 0, IpProtocol.Tcp, 1, 1, 1, 1);
}
