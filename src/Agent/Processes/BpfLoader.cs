using FleetNet.Agent.Interop;

namespace FleetNet.Agent.Processes;

/// <summary>Opens the embedded fleetnet.bpf.o, sizes the usage map, loads and attaches both programs.</summary>
internal static unsafe class BpfLoader
{
    internal const string ResourceName = "fleetnet.bpf.o";

    private static readonly string[] s_programs = ["fleetnet_send", "fleetnet_recv"];

    internal readonly record struct Loaded(BpfObjectHandle Object, BpfLinkHandle[] Links, int UsageFd, int MapFullFd);

    /// <summary>The embedded object's bytes.</summary>
    public static byte[] ReadEmbeddedObject()
    {
        using var stream = typeof(BpfLoader).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("embedded resource " + ResourceName + " missing from the agent");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public static bool TryLoad(uint maxEntries, out Loaded loaded, out string reason)
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

        var links = new List<BpfLinkHandle>(s_programs.Length);
        try
        {
            var usage = Interop.Interop.bpf_object__find_map_by_name(obj, "fn_usage");
            var mapFull = Interop.Interop.bpf_object__find_map_by_name(obj, "fn_map_full");
            if (usage == 0 || mapFull == 0)
            {
                reason = "the BPF object lacks its maps";
                return Fail(obj, links);
            }

            var err = Interop.Interop.bpf_map__set_max_entries(usage, maxEntries);
            err = err != 0 ? err : Interop.Interop.bpf_object__load(obj);
            if (err != 0)
            {
                reason = "loading the BPF programs failed (verifier or CO-RE): " + Errno(-err);
                return Fail(obj, links);
            }

            foreach (var program in s_programs)
            {
                var prog = Interop.Interop.bpf_object__find_program_by_name(obj, program);
                var link = prog == 0 ? null : Interop.Interop.bpf_program__attach(prog);
                if (link is null || link.IsInvalid)
                {
                    var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    link?.Dispose();
                    reason = "attaching " + program + " failed: " + Errno(errno);
                    return Fail(obj, links);
                }

                links.Add(link);
            }

            loaded = new Loaded(obj, [.. links], Interop.Interop.bpf_map__fd(usage), Interop.Interop.bpf_map__fd(mapFull));
            reason = "";
            return true;
        }
        catch
        {
            Fail(obj, links);
            throw;
        }
    }

    private static bool Fail(BpfObjectHandle obj, List<BpfLinkHandle> links)
    {
        foreach (var link in links)
        {
            link.Dispose();
        }

        obj.Dispose();
        return false;
    }

    private static string Errno(int errno) => new System.ComponentModel.Win32Exception(errno).Message + " (errno " + errno + ")";
}
