using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

/// <summary>
/// libbpf 1.x: linked into the published agent (see FleetNet.Agent.csproj), else libbpf.so.1. In 1.x every
/// call returns a negative errno on failure, and the pointer-returning ones return NULL with errno set (read
/// with <see cref="Marshal.GetLastPInvokeError"/>).
/// </summary>
internal static unsafe partial class Interop
{
    internal const string Libbpf = "libbpf.so.1";

    internal enum LibbpfPrintLevel
    {
        Warn = 0,
        Info = 1,
        Debug = 2,
    }

    /// <summary>struct bpf_object_open_opts, only up to object_name: libbpf accepts a shorter sz.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BpfObjectOpenOpts
    {
        public nuint Sz;
        public byte* ObjectName;
    }

    /// <summary>"v1.7", a static string.</summary>
    [LibraryImport(Libbpf, EntryPoint = "libbpf_version_string")]
    internal static partial byte* libbpf_version_string();

    [LibraryImport(Libbpf, EntryPoint = "libbpf_set_print")]
    internal static partial nint libbpf_set_print(delegate* unmanaged<LibbpfPrintLevel, byte*, nint, int> fn);

    [LibraryImport(Libbpf, EntryPoint = "bpf_object__open_mem", SetLastError = true)]
    internal static partial BpfObjectHandle bpf_object__open_mem(void* objBuf, nuint objBufSz, BpfObjectOpenOpts* opts);

    [LibraryImport(Libbpf, EntryPoint = "bpf_object__load")]
    internal static partial int bpf_object__load(BpfObjectHandle obj);

    [LibraryImport(Libbpf, EntryPoint = "bpf_object__close")]
    internal static partial void bpf_object__close(nint obj);

    [LibraryImport(Libbpf, EntryPoint = "bpf_object__find_map_by_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint bpf_object__find_map_by_name(BpfObjectHandle obj, string name);

    [LibraryImport(Libbpf, EntryPoint = "bpf_object__find_program_by_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint bpf_object__find_program_by_name(BpfObjectHandle obj, string name);

    [LibraryImport(Libbpf, EntryPoint = "bpf_map__set_max_entries")]
    internal static partial int bpf_map__set_max_entries(nint map, uint maxEntries);

    [LibraryImport(Libbpf, EntryPoint = "bpf_map__fd")]
    internal static partial int bpf_map__fd(nint map);

    [LibraryImport(Libbpf, EntryPoint = "bpf_program__attach", SetLastError = true)]
    internal static partial BpfLinkHandle bpf_program__attach(nint prog);

    [LibraryImport(Libbpf, EntryPoint = "bpf_program__set_autoload")]
    internal static partial int bpf_program__set_autoload(nint prog, [MarshalAs(UnmanagedType.U1)] bool autoload);

    [LibraryImport(Libbpf, EntryPoint = "bpf_program__attach_cgroup", SetLastError = true)]
    internal static partial BpfLinkHandle bpf_program__attach_cgroup(nint prog, int cgroupFd);

    [LibraryImport(Libbpf, EntryPoint = "bpf_link__fd")]
    internal static partial int bpf_link__fd(BpfLinkHandle link);

    /// <summary>A new fd that runs the iterator's program as it is read; -errno on failure.</summary>
    [LibraryImport(Libbpf, EntryPoint = "bpf_iter_create")]
    internal static partial int bpf_iter_create(int linkFd);

    [LibraryImport(Libbpf, EntryPoint = "bpf_map__set_autocreate")]
    internal static partial int bpf_map__set_autocreate(nint map, [MarshalAs(UnmanagedType.U1)] bool autocreate);

    [LibraryImport(Libbpf, EntryPoint = "bpf_map_update_elem")]
    internal static partial int bpf_map_update_elem(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Libbpf, EntryPoint = "bpf_map_delete_elem")]
    internal static partial int bpf_map_delete_elem(int fd, void* key);

    [LibraryImport(Libbpf, EntryPoint = "bpf_link__destroy")]
    internal static partial int bpf_link__destroy(nint link);

    /// <summary>inBatch NULL starts at the beginning; returns -ENOENT (with *count set) after the last batch.</summary>
    [LibraryImport(Libbpf, EntryPoint = "bpf_map_lookup_batch")]
    internal static partial int bpf_map_lookup_batch(int fd, void* inBatch, void* outBatch, void* keys, void* values, uint* count, void* opts);

    [LibraryImport(Libbpf, EntryPoint = "bpf_map_lookup_elem")]
    internal static partial int bpf_map_lookup_elem(int fd, void* key, void* value);

    [LibraryImport(Libbpf, EntryPoint = "bpf_map_lookup_and_delete_elem")]
    internal static partial int bpf_map_lookup_and_delete_elem(int fd, void* key, void* value);

    [LibraryImport(Libbpf, EntryPoint = "libbpf_num_possible_cpus")]
    internal static partial int libbpf_num_possible_cpus();
}
