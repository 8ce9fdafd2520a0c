namespace FleetNet.Agent.FidelityLevels;

/// <summary>
/// Socket inode → owning pid, from the /proc/&lt;pid&gt;/fd links ("socket:[inode]"). A full scan, done at
/// most once per collection and only when a socket with new bytes has no known owner.
/// </summary>
internal sealed class SocketOwners(string procRoot)
{
    private readonly Dictionary<uint, uint> _owners = [];

    public int Count => _owners.Count;

    public void Rescan()
    {
        _owners.Clear();
        IEnumerable<string> pids;
        try
        {
            pids = Directory.EnumerateDirectories(procRoot);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var dir in pids)
        {
            if (!uint.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                        && uint.TryParse(target.AsSpan(8, target.Length - 9), out var inode))
                    {
                        _owners.TryAdd(inode, pid);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited during the scan, or not ours to read: its sockets stay unowned this time.
            }
        }
    }

    public bool TryGetOwner(uint inode, out uint pid) => _owners.TryGetValue(inode, out pid);
}
