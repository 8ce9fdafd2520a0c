namespace FleetNet.Agent.Cgroups;

/// <summary>
/// What a cgroup v2 path stands for. Every field but <see cref="Path"/> is empty when unknown: an
/// unrecognised path is just its path.
/// </summary>
/// <param name="Path">The cgroup path as in /proc/pid/cgroup, e.g. /system.slice/nginx.service.</param>
/// <param name="Unit">The innermost systemd unit (*.service or *.scope), e.g. nginx.service.</param>
/// <param name="Runtime">docker, containerd, cri-o, podman, or kubernetes when only the pod is known.</param>
/// <param name="ContainerId">The container id (lower-case hex) as the runtime names it.</param>
/// <param name="ContainerName">The container's name where the runtime's metadata is readable.</param>
/// <param name="PodUid">The Kubernetes pod uid, with dashes.</param>
internal sealed record CgroupIdentity(
    string Path,
    string Unit,
    string Runtime,
    string ContainerId,
    string ContainerName,
    string PodUid)
{
    /// <summary>A path nothing is known about.</summary>
    public static CgroupIdentity Unknown(string path) => new(path, "", "", "", "", "");
}
