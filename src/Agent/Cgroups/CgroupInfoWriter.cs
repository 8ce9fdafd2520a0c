using FleetNet.Agent.Pipeline;
using FleetNet.Agent.Processes;
using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Cgroups;

/// <summary>Adds one <see cref="CgroupInfo"/> per distinct cgroup id the batch's process samples name.</summary>
internal sealed class CgroupInfoWriter(CgroupResolver resolver)
{
    private readonly HashSet<ulong> _written = [];

    public void AddTo(Batch batch, List<ProcessUsage> processes, StringTable strings)
    {
        _written.Clear();
        foreach (var usage in processes)
        {
            if (usage.Cgroup.Length == 0 || !_written.Add(usage.CgroupId))
            {
                continue;
            }

            var identity = resolver.Resolve(usage.CgroupId, usage.Cgroup);
            batch.Cgroups.Add(new CgroupInfo
            {
                Id = usage.CgroupId,
                Path = strings.Intern(identity.Path),
                Unit = strings.Intern(identity.Unit),
                Runtime = strings.Intern(identity.Runtime),
                ContainerId = strings.Intern(identity.ContainerId),
                ContainerName = strings.Intern(identity.ContainerName),
                PodUid = strings.Intern(identity.PodUid),
            });
        }
    }
}
