using System.Runtime.InteropServices;

namespace FleetNet.Agent.Interop;

/// <summary>Owns a libbpf <c>struct bpf_link *</c>; destroying it detaches the program.</summary>
internal sealed class BpfLinkHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => Interop.bpf_link__destroy(handle) == 0;
}
