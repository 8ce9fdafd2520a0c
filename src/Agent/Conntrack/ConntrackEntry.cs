namespace FleetNet.Agent.Conntrack;

/// <summary>
/// One conntrack entry as ctnetlink dumped it: absolute counters (zero when nf_conntrack_acct is off,
/// see <see cref="HasCounters"/>). Addresses are 4 bytes (IPv4) or 16 (IPv6), ports host order.
/// </summary>
internal sealed record ConntrackEntry(
    uint Id,
    byte Family,
    byte Protocol,
    byte[] OrigSrc,
    byte[] OrigDst,
    ushort OrigSrcPort,
    ushort OrigDstPort,
    byte[] ReplySrc,
    byte[] ReplyDst,
    ushort ReplySrcPort,
    ushort ReplyDstPort,
    ulong OrigPackets,
    ulong OrigBytes,
    ulong ReplyPackets,
    ulong ReplyBytes,
    bool HasCounters,
    ushort Zone,
    uint Mark,
    uint Status);
