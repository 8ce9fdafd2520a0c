using FleetNet.Agent.Hosting;

namespace FleetNet.Agent.Tests.Hosting;

public sealed class HostIdentityTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "fleetnet-host-" + Guid.NewGuid().ToString("N"));

    public HostIdentityTests()
    {
        Write("proc/sys/kernel/hostname", "web-01\n");
        Write("proc/sys/kernel/osrelease", "6.8.0-45-generic\n");
        Write("proc/sys/kernel/random/boot_id", "0f6c3e4e-8d3a-4c7e-9b7a-1d2e3f4a5b6c\n");
        Write("etc/machine-id", "4c4c4544004a4c108052b7c04f4e3732\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Read_FixtureTree_ReadsEveryField()
    {
        var identity = HostIdentity.Read(new AgentOptions { ProcRoot = Path.Combine(_root, "proc") }, Path.Combine(_root, "etc"));

        Assert.Equal("web-01", identity.HostName);
        Assert.Equal("4c4c4544004a4c108052b7c04f4e3732", identity.MachineId);
        Assert.Equal("0f6c3e4e-8d3a-4c7e-9b7a-1d2e3f4a5b6c", identity.BootId);
        Assert.Equal("6.8.0-45-generic", identity.Kernel);
        Assert.False(string.IsNullOrEmpty(identity.AgentVersion));
    }

    [Fact]
    public void Read_HostNameConfigured_OverridesKernelHostName()
    {
        var options = new AgentOptions { ProcRoot = Path.Combine(_root, "proc"), HostName = "db-primary" };

        Assert.Equal("db-primary", HostIdentity.Read(options, Path.Combine(_root, "etc")).HostName);
    }

    [Fact]
    public void Read_FilesMissing_GivesEmptyFieldsAndMachineName()
    {
        var identity = HostIdentity.Read(new AgentOptions { ProcRoot = Path.Combine(_root, "none") }, Path.Combine(_root, "none"));

        Assert.Equal(Environment.MachineName, identity.HostName);
        Assert.Equal("", identity.MachineId);
        Assert.Equal("", identity.BootId);
        Assert.Equal("", identity.Kernel);
    }

    private void Write(string relativePath, string content)
    {
        var path = Path.Combine(_root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
