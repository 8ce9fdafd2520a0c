using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Cgroups;

/// <summary>
/// Resolves a cgroup (id and path, as the process source reports them) to a <see cref="CgroupIdentity"/>,
/// parsing each path and reading runtime metadata once per cgroup id. Cgroup ids are inode numbers that
/// the kernel does not reuse within a boot; the path is still compared so a changed path is re-parsed.
/// The cache is bounded: past <see cref="MaxEntries"/> it starts over. Not thread-safe.
/// </summary>
internal sealed class CgroupResolver(IOptions<AgentOptions> options)
{
    /// <summary>Cached cgroups before the cache is cleared.</summary>
    public const int MaxEntries = 16_384;

    private readonly Dictionary<ulong, CgroupIdentity> _cache = [];
    private readonly ContainerNameReader _names = new(options.Value.RuntimeRoot);

    /// <summary>Cached cgroups right now (for tests).</summary>
    public int Count => _cache.Count;

    public CgroupIdentity Resolve(ulong id, string path)
    {
        if (_cache.TryGetValue(id, out var known) && string.Equals(known.Path, path, StringComparison.Ordinal))
        {
            return known;
        }

        var parsed = CgroupPathParser.Parse(path);
        var name = _names.TryRead(parsed.Runtime, parsed.ContainerId);
        var identity = name.Length == 0 ? parsed : parsed with { ContainerName = name };
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }

        _cache[id] = identity;
        return identity;
    }
}
