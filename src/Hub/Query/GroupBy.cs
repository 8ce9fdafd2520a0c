namespace FleetNet.Hub.Query;

/// <summary>What a top-N query ranks.</summary>
internal enum GroupBy
{
    /// <summary>Each process (host, pid, start time).</summary>
    Process,

    /// <summary>Programs fleet-wide, by (comm, exe).</summary>
    Name,
    Host,

    /// <summary>Container name, else systemd unit, else cgroup path.</summary>
    Container,
    Endpoint,
    Interface,
}
