namespace FleetNet.Agent.Processes;

/// <summary>What /proc told about one process; empty strings (and a null uid) when it was unreadable.</summary>
internal sealed record ProcessInfo(string Exe, string Cmdline, uint? Uid, string Cgroup)
{
    /// <summary>For a process that exited (or whose pid was reused) before it could be read.</summary>
    public static ProcessInfo Unknown { get; } = new("", "", null, "");
}
