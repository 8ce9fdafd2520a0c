namespace FleetNet.Agent.Tests.Processes;

/// <summary>A cgroup v2 directory standing in for a container; removed (once empty) on dispose.</summary>
internal sealed class TestCgroup : IDisposable
{
    public TestCgroup()
    {
        var root = Directory.Exists("/sys/fs/cgroup/unified") ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup";
        Name = "fleetnet-test-" + Guid.NewGuid().ToString("N")[..12];
        Path = System.IO.Path.Combine(root, Name);
        Directory.CreateDirectory(Path);
        Id = Children.Inode(Path);
    }

    public string Name { get; }

    public string Path { get; }

    /// <summary>The cgroup id: the inode of its directory.</summary>
    public ulong Id { get; }

    /// <summary>A bash prefix that moves the shell into this cgroup before it does anything else.</summary>
    public string Enter => $"echo $$ > {Path}/cgroup.procs; ";

    public void Dispose()
    {
        // The last member may still be a zombie for a moment; bounded polling until the kernel lets go.
        var deadline = Environment.TickCount64 + 10_000;
        while (true)
        {
            try
            {
                Directory.Delete(Path);
                return;
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }
}
