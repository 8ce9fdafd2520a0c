using System.Net;

namespace FleetNet.Hub.Ingest;

/// <summary>A process: (host, pid, start time in Unix ms).</summary>
internal readonly record struct ProcessKey(long HostId, uint Pid, long StartMs);

/// <summary>A cgroup of a host: its v2 id and path.</summary>
internal readonly record struct CgroupKey(long HostId, ulong CgroupId, string Path);

/// <summary>An interface of a host, by name.</summary>
internal readonly record struct InterfaceKey(long HostId, string Name);

/// <summary>A remote endpoint as one host sees it; a null address is the agent's "other" bucket.</summary>
internal readonly record struct EndpointKey(long HostId, IPAddress? Address, int Port, short Protocol);
