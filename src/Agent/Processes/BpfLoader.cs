using FleetNet.Agent.Interop;

namespace FleetNet.Agent.Processes;

/// <summary>
/// Opens the embedded fleetnet.bpf.o, sizes its maps, loads only the programs of one fidelity level
/// (the others keep autoload off, so a kernel that refuses one level can still run the next) and
/// attaches them: tracepoints by their section name, cgroup_skb programs to the given cgroup.
/// </summary>
internal static unsafe class BpfLoader
{
    internal const string ResourceName = "fleetnet.bpf.o";

    internal static readonly string[] AllPrograms =
    [
        "fleetnet_send", "fleetnet_recv", "fleetnet_exec", "fleetnet_exit", "fleetnet_sock_close", "fleetnet_flush",
        "fleetnet_send_raw", "fleetnet_recv_raw", "fleetnet_exec_raw", "fleetnet_exit_raw",
        "fleetnet_cgroup_egress", "fleetnet_cgroup_ingress",
        "fleetnet_cgroup_sendmsg4", "fleetnet_cgroup_sendmsg6", "fleetnet_cgroup_recvmsg4", "fleetnet_cgroup_recvmsg6",
    ];

    internal static readonly string[] MapNames = ["fn_usage", "fn_endpoints", "fn_procs", "fn_cgroup_usage", "fn_counters", "fn_udp_peers", "fn_socks", "fn_config"];

    /// <summary>The iterator that moves the per-socket TCP counters into the maps; its link makes the iterator's fds.</summary>
    internal const string FlushProgram = "fleetnet_flush";

    /// <summary>
    /// What to load: program names, max_entries per map name, and the cgroup fd for the fleetnet_cgroup_*
    /// programs. Programs in <paramref name="Optional"/> are loaded too, but one that cannot be attached
    /// is left out (listed in <see cref="Loaded.Skipped"/>) instead of failing the load.
    /// </summary>
    internal readonly record struct Request(string[] Programs, Dictionary<string, uint> MapEntries, int CgroupFd = -1, string[]? Optional = null);

    /// <summary>
    /// The loaded object, its links, the fds of its maps by name (negative for a map not created), the
    /// optional programs left out and why, and the link of <see cref="FlushProgram"/> (-1 when not loaded).
    /// </summary>
    internal readonly record struct Loaded(BpfObjectHandle Object, BpfLinkHandle[] Links, Dictionary<string, int> MapFds, string[] Skipped, int FlushLinkFd = -1);

    /// <summary>The embedded object's bytes.</summary>
    public static byte[] ReadEmbeddedObject()
    {
        using var stream = typeof(BpfLoader).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("embedded resource " + ResourceName + " missing from the agent");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public static bool TryLoad(Request request, out Loaded loaded, out string reason)
    {
        loaded = default;
        var elf = ReadEmbeddedObject();
        var name = "fleetnet\0"u8;
        BpfObjectHandle obj;
        fixed (byte* buffer = elf)
        fixed (byte* objectName = name)
        {
            var opts = new Interop.Interop.BpfObjectOpenOpts { Sz = (nuint)sizeof(Interop.Interop.BpfObjectOpenOpts), ObjectName = objectName };
            obj = Interop.Interop.bpf_object__open_mem(buffer, (nuint)elf.Length, &opts);
            if (obj.IsInvalid)
            {
                reason = "opening the BPF object failed: " + Errno(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
                return false;
            }
        }

        var links = new List<BpfLinkHandle>(request.Programs.Length);
        try
        {
            var fds = new Dictionary<string, int>(MapNames.Length);
            foreach (var mapName in MapNames)
            {
                var map = Interop.Interop.bpf_object__find_map_by_name(obj, mapName);
                if (map == 0)
                {
                    reason = "the BPF object lacks its map " + mapName;
                    return Fail(obj, links);
                }

                if (request.MapEntries.TryGetValue(mapName, out var entries) && Interop.Interop.bpf_map__set_max_entries(map, entries) is var set and not 0)
                {
                    reason = "sizing " + mapName + " failed: " + Errno(-set);
                    return Fail(obj, links);
                }
            }

            foreach (var program in AllPrograms)
            {
                var prog = Interop.Interop.bpf_object__find_program_by_name(obj, program);
                if (prog != 0)
                {
                    Interop.Interop.bpf_program__set_autoload(prog, Array.IndexOf(request.Programs, program) >= 0
                        || (request.Optional is { } optional && Array.IndexOf(optional, program) >= 0));
                }
            }

            // The per-socket storage serves only the BTF level's programs; other levels' kernels need not have it.
            if (Array.IndexOf(request.Programs, FlushProgram) < 0)
            {
                Interop.Interop.bpf_map__set_autocreate(Interop.Interop.bpf_object__find_map_by_name(obj, "fn_socks"), false);
            }

            var err = Interop.Interop.bpf_object__load(obj);
            if (err != 0)
            {
                reason = "loading the BPF programs failed (verifier or CO-RE): " + Errno(-err);
                return Fail(obj, links);
            }

            foreach (var mapName in MapNames)
            {
                fds[mapName] = Interop.Interop.bpf_map__fd(Interop.Interop.bpf_object__find_map_by_name(obj, mapName));
            }

            var flushLinkFd = -1;
            foreach (var program in request.Programs)
            {
                var prog = Interop.Interop.bpf_object__find_program_by_name(obj, program);
                var link = prog == 0 ? null : Attach(prog, program, request.CgroupFd);
                if (link is null || link.IsInvalid)
                {
                    var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    link?.Dispose();
                    reason = "attaching " + program + " failed: " + Errno(errno);
                    return Fail(obj, links);
                }

                links.Add(link);
                flushLinkFd = program == FlushProgram ? Interop.Interop.bpf_link__fd(link) : flushLinkFd;
            }

            var skipped = new List<string>();
            foreach (var program in request.Optional ?? [])
            {
                var prog = Interop.Interop.bpf_object__find_program_by_name(obj, program);
                var link = prog == 0 || request.CgroupFd < 0 ? null : Attach(prog, program, request.CgroupFd);
                if (link is null || link.IsInvalid)
                {
                    var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    link?.Dispose();
                    skipped.Add(program + ": " + (request.CgroupFd < 0 ? "no cgroup v2 root" : Errno(errno)));
                    continue;
                }

                links.Add(link);
            }

            loaded = new Loaded(obj, [.. links], fds, [.. skipped], flushLinkFd);
            reason = "";
            return true;
        }
        catch
        {
            Fail(obj, links);
            throw;
        }
    }

    private static BpfLinkHandle Attach(nint prog, string program, int cgroupFd) =>
        program.StartsWith("fleetnet_cgroup_", StringComparison.Ordinal)
            ? Interop.Interop.bpf_program__attach_cgroup(prog, cgroupFd)
            : Interop.Interop.bpf_program__attach(prog);

    private static bool Fail(BpfObjectHandle obj, List<BpfLinkHandle> links)
    {
        foreach (var link in links)
        {
            link.Dispose();
        }

        obj.Dispose();
        return false;
    }

    internal static string Errno(int errno) => new System.ComponentModel.Win32Exception(errno).Message + " (errno " + errno + ")";
}
