namespace FleetNet.Agent.Cgroups;

/// <summary>
/// Reads systemd units, container ids and Kubernetes pod uids out of a cgroup v2 path, for the layouts
/// the common runtimes produce with the systemd and the cgroupfs drivers:
/// <c>/system.slice/nginx.service</c>, <c>/user.slice/user-1000.slice/user@1000.service/app.slice/x.scope</c>,
/// <c>/system.slice/docker-&lt;id&gt;.scope</c>, <c>/docker/&lt;id&gt;</c>,
/// <c>/system.slice/cri-containerd-&lt;id&gt;.scope</c>, <c>/machine.slice/libpod-&lt;id&gt;.scope</c>,
/// <c>/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod&lt;uid_with_underscores&gt;.slice/cri-containerd-&lt;id&gt;.scope</c>,
/// <c>/kubepods/burstable/pod&lt;uid&gt;/&lt;id&gt;</c>, <c>…/kubepods-…-pod&lt;uid&gt;.slice:cri-containerd:&lt;id&gt;</c>.
/// Pure and total: any string gives an answer, an unrecognised one just its path. Nested cgroups inside a
/// container (e.g. systemd running in it) keep the container of their outermost container segment.
/// </summary>
internal static class CgroupPathParser
{
    private const int MinIdLength = 12;

    // Longest prefixes first: "libpod-conmon-" is podman's monitor process, not the container.
    private static readonly (string Prefix, string Runtime)[] ScopePrefixes =
    [
        ("cri-containerd-", "containerd"),
        ("libpod-conmon-", ""),
        ("libpod-", "podman"),
        ("docker-", "docker"),
        ("crio-conmon-", ""),
        ("crio-", "cri-o"),
    ];

    private static readonly (string Marker, string Runtime)[] ColonMarkers =
    [
        (":cri-containerd:", "containerd"),
        (":crio:", "cri-o"),
        (":docker:", "docker"),
    ];

    public static CgroupIdentity Parse(string path)
    {
        var unit = "";
        var runtime = "";
        var containerId = "";
        var podUid = "";
        var parent = ReadOnlySpan<char>.Empty;
        var grandParent = ReadOnlySpan<char>.Empty;
        var span = path.AsSpan();
        foreach (var range in span.Split('/'))
        {
            var segment = span[range];
            if (segment.IsEmpty)
            {
                continue;
            }

            if (segment.EndsWith(".service", StringComparison.Ordinal) || segment.EndsWith(".scope", StringComparison.Ordinal))
            {
                unit = segment.ToString();
            }

            if (podUid.Length == 0 && TryPodUid(segment, parent, grandParent, out var uid))
            {
                podUid = uid;
            }

            if (containerId.Length == 0 && TryContainer(segment, parent, grandParent, podUid.Length > 0, out var id, out var found))
            {
                containerId = id;
                runtime = found;
            }

            grandParent = parent;
            parent = segment;
        }

        if (runtime.Length == 0 && podUid.Length > 0)
        {
            runtime = "kubernetes";
        }

        return new CgroupIdentity(path, unit, runtime, containerId, "", podUid);
    }

    private static bool TryContainer(
        ReadOnlySpan<char> segment, ReadOnlySpan<char> parent, ReadOnlySpan<char> grandParent, bool inPod,
        out string id, out string runtime)
    {
        id = "";
        runtime = "";
        foreach (var (marker, name) in ColonMarkers)
        {
            var at = segment.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && IsId(segment[(at + marker.Length)..]))
            {
                (id, runtime) = (segment[(at + marker.Length)..].ToString(), name);
                return true;
            }
        }

        var bare = segment.EndsWith(".scope", StringComparison.Ordinal) ? segment[..^".scope".Length] : segment;
        foreach (var (prefix, name) in ScopePrefixes)
        {
            if (bare.StartsWith(prefix, StringComparison.Ordinal))
            {
                if (name.Length == 0 || !IsId(bare[prefix.Length..]))
                {
                    return false;
                }

                (id, runtime) = (bare[prefix.Length..].ToString(), name);
                return true;
            }
        }

        // cgroupfs driver: /docker/<id>, /kubepods/<qos>/pod<uid>/<id>, /kubepods/pod<uid>/<id>.
        if (segment.Length == 64 && IsId(segment))
        {
            if (parent.SequenceEqual("docker"))
            {
                (id, runtime) = (segment.ToString(), "docker");
                return true;
            }

            if (inPod && parent.StartsWith("pod", StringComparison.Ordinal)
                && (grandParent.StartsWith("kubepods", StringComparison.Ordinal) || grandParent is "burstable" or "besteffort"))
            {
                (id, runtime) = (segment.ToString(), "kubernetes");
                return true;
            }
        }

        return false;
    }

    private static bool TryPodUid(ReadOnlySpan<char> segment, ReadOnlySpan<char> parent, ReadOnlySpan<char> grandParent, out string uid)
    {
        uid = "";
        var colon = segment.IndexOf(':');
        if (colon >= 0)
        {
            segment = segment[..colon]; // "kubepods-…-pod<uid>.slice:cri-containerd:<id>"
        }

        if (segment.StartsWith("kubepods", StringComparison.Ordinal) && segment.EndsWith(".slice", StringComparison.Ordinal))
        {
            var at = segment.LastIndexOf("-pod", StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            var raw = segment[(at + "-pod".Length)..^".slice".Length];
            return TryUid(raw, out uid);
        }

        if (segment.StartsWith("pod", StringComparison.Ordinal)
            && (parent.StartsWith("kubepods", StringComparison.Ordinal)
                || (parent is "burstable" or "besteffort" or "guaranteed" && grandParent.StartsWith("kubepods", StringComparison.Ordinal))))
        {
            return TryUid(segment["pod".Length..], out uid);
        }

        return false;
    }

    /// <summary>A uid as 8-4-4-4-12 hex, written with dashes or (systemd driver) underscores.</summary>
    private static bool TryUid(ReadOnlySpan<char> raw, out string uid)
    {
        uid = "";
        if (raw.Length != 36)
        {
            return false;
        }

        Span<char> text = stackalloc char[36];
        for (var i = 0; i < 36; i++)
        {
            var c = raw[i];
            var dash = i is 8 or 13 or 18 or 23;
            if (dash ? c is not ('-' or '_') : !char.IsAsciiHexDigit(c))
            {
                return false;
            }

            text[i] = dash ? '-' : char.ToLowerInvariant(c);
        }

        uid = text.ToString();
        return true;
    }

    private static bool IsId(ReadOnlySpan<char> text)
    {
        if (text.Length < MinIdLength || text.Length > 128)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }
}
