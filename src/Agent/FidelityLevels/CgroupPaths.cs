namespace FleetNet.Agent.FidelityLevels;

/// <summary>
/// Maps a cgroup v2 id (the inode number of its directory) to its path below the mount, by walking
/// the hierarchy; walked again, at most once per call, when an id is not known yet (a new cgroup).
/// </summary>
internal sealed class CgroupPaths(string root)
{
    private const int MaxDirectories = 100_000;

    private readonly Dictionary<ulong, string> _paths = [];

    /// <summary>The path ("/", "/system.slice/x.service"), or "" when no cgroup has this id.</summary>
    public string Find(ulong id)
    {
        if (_paths.TryGetValue(id, out var path))
        {
            return path;
        }

        Walk();
        return _paths.TryGetValue(id, out path) ? path : "";
    }

    private void Walk()
    {
        _paths.Clear();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0 && _paths.Count < MaxDirectories)
        {
            var directory = pending.Pop();
            try
            {
                var inode = Inode(directory);
                var relative = Path.GetRelativePath(root, directory);
                _paths[inode] = relative == "." ? "/" : "/" + relative;
                foreach (var child in Directory.EnumerateDirectories(directory))
                {
                    pending.Push(child);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A cgroup removed during the walk: skip it.
            }
        }
    }

    private static unsafe ulong Inode(string directory)
    {
        // struct stat on x86-64 and arm64: st_dev (8 bytes), then st_ino (8 bytes); 256 bytes covers it all.
        var buffer = stackalloc byte[256];
        if (Interop.Interop.stat(directory, buffer) != 0)
        {
            throw new IOException("stat " + directory + " failed");
        }

        return *(ulong*)(buffer + 8);
    }
}
