using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

/// <summary>Owns a libbpf <c>struct bpf_object *</c>; closing it unloads its programs and maps.</summary>
internal sealed class BpfObjectHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        Interop.bpf_object__close(handle);
        return true;
    }
}
