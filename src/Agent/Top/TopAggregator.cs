using FleetNet.Agent.Cgroups;
using FleetNet.Agent.Endpoints;
using FleetNet.Agent.Processes;
using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Top;

/// <summary>Sums one interval's per-protocol samples into processes, containers and endpoints, busiest first.</summary>
internal static class TopAggregator
{
    public static (List<TopProcess> Processes, List<TopContainer> Containers, List<TopEndpoint> Endpoints) Aggregate(
        List<ProcessUsage> usage, List<EndpointUsage> endpoints, CgroupResolver cgroups, double seconds, int limit)
    {
        var perSecond = seconds > 0 ? 1 / seconds : 0;
        var processes = new Dictionary<(uint, long), TopProcess>(usage.Count);
        foreach (var u in usage)
        {
            var key = (u.Pid, u.StartUnixMs);
            var tcp = u.Protocol == IpProtocol.Tcp ? u.TxBytes + u.RxBytes : 0;
            var udp = u.Protocol == IpProtocol.Udp ? u.TxBytes + u.RxBytes : 0;
            var other = tcp + udp == 0 ? u.TxBytes + u.RxBytes : 0;
            if (processes.TryGetValue(key, out var p))
            {
                processes[key] = p with
                {
                    TxBytes = p.TxBytes + u.TxBytes,
                    RxBytes = p.RxBytes + u.RxBytes,
                    TxBytesPerSecond = (p.TxBytes + u.TxBytes) * perSecond,
                    RxBytesPerSecond = (p.RxBytes + u.RxBytes) * perSecond,
                    TcpBytes = p.TcpBytes + tcp,
                    UdpBytes = p.UdpBytes + udp,
                    OtherBytes = p.OtherBytes + other,
                };
                continue;
            }

            var identity = u.Cgroup.Length == 0 ? CgroupIdentity.Unknown("") : cgroups.Resolve(u.CgroupId, u.Cgroup);
            processes[key] = new TopProcess(u.Pid, u.StartUnixMs, u.Comm, u.Exe, u.Cmdline, u.Uid, u.Cgroup,
                ContainerLabel(identity), identity.Unit, u.TxBytes, u.RxBytes, u.TxBytes * perSecond, u.RxBytes * perSecond,
                tcp, udp, other, u.Hidden);
        }

        var containers = new Dictionary<string, TopContainer>(StringComparer.Ordinal);
        foreach (var p in processes.Values)
        {
            var name = p.Container.Length > 0 ? p.Container : p.Unit.Length > 0 ? p.Unit : p.Cgroup;
            if (containers.TryGetValue(name, out var c))
            {
                containers[name] = c with
                {
                    Processes = c.Processes + 1,
                    TxBytes = c.TxBytes + p.TxBytes,
                    RxBytes = c.RxBytes + p.RxBytes,
                    TxBytesPerSecond = (c.TxBytes + p.TxBytes) * perSecond,
                    RxBytesPerSecond = (c.RxBytes + p.RxBytes) * perSecond,
                };
                continue;
            }

            // Parsed once per container, not per process: a burst is thousands of processes in a few cgroups.
            var identity = p.Cgroup.Length == 0 ? CgroupIdentity.Unknown("") : CgroupPathParser.Parse(p.Cgroup);
            containers[name] = new TopContainer(name, identity.Runtime, identity.ContainerId, identity.PodUid, identity.Unit, p.Cgroup, 1,
                p.TxBytes, p.RxBytes, p.TxBytesPerSecond, p.RxBytesPerSecond);
        }

        var endpointRows = new List<TopEndpoint>(endpoints.Count);
        var addresses = new Dictionary<byte[], string>(ReferenceEqualityComparer.Instance);
        foreach (var e in endpoints)
        {
            endpointRows.Add(new TopEndpoint(e.Pid, (processes.TryGetValue((e.Pid, e.StartUnixMs), out var owner) ? owner.Comm : ""), Protocol(e.Protocol),
                e.IsOther ? "other" : Format(addresses, e.RemoteAddress), e.RemotePort, e.LocalPort,
                e.TxBytes, e.RxBytes, e.OtherEndpoints));
        }

        var processList = new List<TopProcess>(processes.Values);
        processList.Sort(static (a, b) => (b.TxBytes + b.RxBytes).CompareTo(a.TxBytes + a.RxBytes));
        var containerList = new List<TopContainer>(containers.Values);
        containerList.Sort(static (a, b) => (b.TxBytes + b.RxBytes).CompareTo(a.TxBytes + a.RxBytes));
        endpointRows.Sort(static (a, b) => (b.TxBytes + b.RxBytes).CompareTo(a.TxBytes + a.RxBytes));
        return (Take(processList, limit), Take(containerList, limit), Take(endpointRows, limit));
    }

    /// <summary>The container's name, else its short id, else the pod uid; empty for plain units.</summary>
    private static string ContainerLabel(CgroupIdentity identity) =>
        identity.ContainerName.Length > 0 ? identity.ContainerName
        : identity.ContainerId.Length > 0 ? identity.Runtime + ":" + identity.ContainerId[..Math.Min(12, identity.ContainerId.Length)]
        : identity.PodUid.Length > 0 ? "pod:" + identity.PodUid
        : "";

    /// <summary>The address as text, once per address array (the tracker shares one array per address).</summary>
    private static string Format(Dictionary<byte[], string> formatted, byte[] address)
    {
        ref var text = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(formatted, address, out var known);
        if (!known)
        {
            text = new System.Net.IPAddress(address).ToString();
        }

        return text!;
    }

    private static string Protocol(IpProtocol protocol) => protocol switch
    {
        IpProtocol.Tcp => "tcp",
        IpProtocol.Udp => "udp",
        _ => "other",
    };

    private static List<T> Take<T>(List<T> list, int limit)
    {
        if (list.Count > limit)
        {
            list.RemoveRange(limit, list.Count - limit);
        }

        return list;
    }
}
