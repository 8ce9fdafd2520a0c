using System.Runtime.InteropServices;
using FleetNet.Agent.Interop;

namespace FleetNet.Bench.MapRead;

/// <summary>Creates and fills a plain BPF hash map (the bench needs no BPF program).</summary>
internal static unsafe partial class NativeMap
{
    private const int BpfMapTypeHash = 1;

    public static int CreateUsageHash(uint maxEntries)
    {
        var fd = bpf_map_create(BpfMapTypeHash, "fn_bench", (uint)sizeof(UsageKey), (uint)sizeof(UsageValue), maxEntries, null);
        if (fd < 0)
        {
            throw new InvalidOperationException("bpf_map_create failed: " + fd);
        }

        return fd;
    }

    public static void Update(int fd, UsageKey key, UsageValue value)
    {
        var err = bpf_map_update_elem(fd, &key, &value, 0);
        if (err != 0)
        {
            throw new InvalidOperationException("bpf_map_update_elem failed: " + err);
        }
    }

    [LibraryImport(Interop.Libbpf, EntryPoint = "bpf_map_create", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int bpf_map_create(int type, string name, uint keySize, uint valueSize, uint maxEntries, void* opts);

    [LibraryImport(Interop.Libbpf, EntryPoint = "bpf_map_update_elem")]
    private static partial int bpf_map_update_elem(int fd, void* key, void* value, ulong flags);
}
