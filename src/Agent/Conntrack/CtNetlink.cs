namespace FleetNet.Agent.Conntrack;

/// <summary>Constants of netlink and ctnetlink (linux/netlink.h, linux/netfilter/nfnetlink_conntrack.h).</summary>
internal static class CtNetlink
{
    public const int HeaderLength = 16;          // struct nlmsghdr
    public const int NfGenLength = 4;            // struct nfgenmsg
    public const ushort NlmsgError = 2;
    public const ushort NlmsgDone = 3;
    public const ushort NlmFRequest = 0x1;
    public const ushort NlmFDump = 0x300;        // NLM_F_ROOT | NLM_F_MATCH
    public const ushort NlmFDumpIntr = 0x10;

    public const byte SubsysCtnetlink = 1;
    public const byte MsgCtNew = 0;
    public const byte MsgCtGet = 1;
    public const ushort CtGet = (SubsysCtnetlink << 8) | MsgCtGet;
    public const ushort CtNew = (SubsysCtnetlink << 8) | MsgCtNew;

    public const ushort AttrTypeMask = 0x3fff;   // without NLA_F_NESTED and NLA_F_NET_BYTEORDER

    public const ushort CtaTupleOrig = 1;
    public const ushort CtaTupleReply = 2;
    public const ushort CtaStatus = 3;
    public const ushort CtaMark = 8;
    public const ushort CtaCountersOrig = 9;
    public const ushort CtaCountersReply = 10;
    public const ushort CtaId = 12;
    public const ushort CtaZone = 18;

    public const ushort CtaTupleIp = 1;
    public const ushort CtaTupleProto = 2;

    public const ushort CtaIpV4Src = 1;
    public const ushort CtaIpV4Dst = 2;
    public const ushort CtaIpV6Src = 3;
    public const ushort CtaIpV6Dst = 4;

    public const ushort CtaProtoNum = 1;
    public const ushort CtaProtoSrcPort = 2;
    public const ushort CtaProtoDstPort = 3;

    public const ushort CtaCountersPackets = 1;
    public const ushort CtaCountersBytes = 2;
    public const ushort CtaCounters32Packets = 3;
    public const ushort CtaCounters32Bytes = 4;

    /// <summary>The 20-byte IPCTNL_MSG_CT_GET dump request for every family (AF_UNSPEC).</summary>
    public static byte[] DumpRequest(uint seq)
    {
        var message = new byte[HeaderLength + NfGenLength];
        var span = message.AsSpan();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)message.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(span[4..], CtGet);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(span[6..], NlmFRequest | NlmFDump);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[8..], seq);
        // pid 0 (the kernel), nfgenmsg: family AF_UNSPEC, version NFNETLINK_V0, res_id 0.
        return message;
    }
}
