using System.Buffers.Binary;

namespace FleetNet.Agent.Conntrack;

/// <summary>Identity of a flow across dumps: the original tuple, zone and the kernel's conntrack id.</summary>
internal readonly record struct ConntrackKey(
    uint Id, byte Family, byte Protocol, UInt128 Src, UInt128 Dst, ushort SrcPort, ushort DstPort, ushort Zone)
{
    public static ConntrackKey Of(ConntrackEntry entry) =>
        new(entry.Id, entry.Family, entry.Protocol, Address(entry.OrigSrc), Address(entry.OrigDst),
            entry.OrigSrcPort, entry.OrigDstPort, entry.Zone);

    private static UInt128 Address(byte[] bytes) => bytes.Length switch
    {
        4 => BinaryPrimitives.ReadUInt32BigEndian(bytes),
        16 => BinaryPrimitives.ReadUInt128BigEndian(bytes),
        _ => 0,
    };
}
