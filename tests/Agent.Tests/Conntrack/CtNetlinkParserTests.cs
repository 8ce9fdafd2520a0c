using System.Buffers.Binary;
using System.Net;
using FleetNet.Agent.Conntrack;

namespace FleetNet.Agent.Tests.Conntrack;

/// <summary>Against dumps captured from this kernel (nft DNAT in a network namespace, see NetlinkFixtures).</summary>
public sealed class CtNetlinkParserTests
{
    [Fact]
    public void Parse_CapturedNatDump_BothTuplesAndCountersOfEachFlow()
    {
        var entries = new List<ConntrackEntry>();

        var result = CtNetlinkParser.Parse(NetlinkFixtures.NatDump, entries);

        Assert.True(result.Done);
        Assert.Equal(0, result.Error);
        Assert.Equal(0, result.Malformed);
        Assert.Equal(2, entries.Count);
        var tcp = entries.Single(e => e.Protocol == 6);
        Assert.Equal(2, tcp.Family);
        Assert.Equal(IPAddress.Parse("198.18.20.2"), new IPAddress(tcp.OrigSrc));
        Assert.Equal(IPAddress.Parse("198.18.20.1"), new IPAddress(tcp.OrigDst));
        Assert.Equal((57070, 8080), ((int)tcp.OrigSrcPort, (int)tcp.OrigDstPort));
        Assert.Equal(IPAddress.Parse("198.18.20.1"), new IPAddress(tcp.ReplySrc));
        Assert.Equal((9090, 57070), ((int)tcp.ReplySrcPort, (int)tcp.ReplyDstPort)); // DNAT 8080 -> 9090
        Assert.True(tcp.HasCounters);
        Assert.Equal((5UL, 5268UL, 5UL, 3268UL), (tcp.OrigPackets, tcp.OrigBytes, tcp.ReplyPackets, tcp.ReplyBytes));
        Assert.NotEqual(0U, tcp.Id);

        var udp = entries.Single(e => e.Protocol == 17);
        Assert.Equal((34491, 5353, 5454), ((int)udp.OrigSrcPort, (int)udp.OrigDstPort, (int)udp.ReplySrcPort));
        Assert.Equal((1UL, 1228UL, 1UL, 728UL), (udp.OrigPackets, udp.OrigBytes, udp.ReplyPackets, udp.ReplyBytes));
    }

    [Fact]
    public void Parse_DumpWithoutAccounting_FlowWithoutCounters()
    {
        var entries = new List<ConntrackEntry>();

        var result = CtNetlinkParser.Parse(NetlinkFixtures.NoAccountingDump, entries);

        Assert.True(result.Done);
        var udp = Assert.Single(entries);
        Assert.False(udp.HasCounters);
        Assert.Equal(0UL, udp.OrigBytes + udp.ReplyBytes);
        Assert.Equal((5353, 5454), ((int)udp.OrigDstPort, (int)udp.ReplySrcPort));
    }

    [Fact]
    public void Parse_TruncatedAtEveryLength_NeverThrowsAndKeepsEveryWholeMessage()
    {
        var dump = NetlinkFixtures.NatDump;
        var firstLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(dump);
        var secondEnd = firstLength + (int)BinaryPrimitives.ReadUInt32LittleEndian(dump.AsSpan(firstLength));
        for (var cut = 0; cut < dump.Length; cut++)
        {
            var entries = new List<ConntrackEntry>();
            var result = CtNetlinkParser.Parse(dump.AsSpan(0, cut), entries);

            var whole = cut >= secondEnd ? 2 : cut >= firstLength ? 1 : 0;
            Assert.Equal(whole, entries.Count);
            Assert.False(result.Done);
            var boundary = cut == 0 || cut == firstLength || cut == secondEnd;
            Assert.Equal(!boundary, result.Truncated);
        }
    }

    [Fact]
    public void Parse_FirstMessageCorrupt_SecondFlowSurvives()
    {
        var dump = NetlinkFixtures.NatDump.ToArray();
        // The first attribute (CTA_TUPLE_ORIG) claims more bytes than its message holds.
        BinaryPrimitives.WriteUInt16LittleEndian(dump.AsSpan(20), 0x0fff);
        var entries = new List<ConntrackEntry>();

        var result = CtNetlinkParser.Parse(dump, entries);

        Assert.Equal(1, result.Malformed);
        Assert.True(result.Done);
        Assert.Equal(17, Assert.Single(entries).Protocol);
    }

    [Fact]
    public void Parse_AddressOfWrongLength_MessageSkipped()
    {
        var dump = NetlinkFixtures.NatDump.ToArray();
        // CTA_IP_V4_SRC of the first message (at 28: len 8) now says 6: a 2-byte IPv4 address.
        Assert.Equal(8, BinaryPrimitives.ReadUInt16LittleEndian(dump.AsSpan(28)));
        BinaryPrimitives.WriteUInt16LittleEndian(dump.AsSpan(28), 6);
        var entries = new List<ConntrackEntry>();

        var result = CtNetlinkParser.Parse(dump, entries);

        Assert.Equal(1, result.Malformed);
        Assert.Single(entries);
    }

    [Fact]
    public void Parse_ErrorMessage_ReportsErrnoAndEndsTheDump()
    {
        var message = new byte[36];
        BinaryPrimitives.WriteUInt32LittleEndian(message, 36);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), CtNetlink.NlmsgError);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(16), -1); // -EPERM

        var result = CtNetlinkParser.Parse(message, []);

        Assert.True(result.Done);
        Assert.Equal(1, result.Error);
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 4, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 16, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 20, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0 })]
    public void Parse_GarbageHeaders_NoEntriesNoThrow(byte[] data)
    {
        var entries = new List<ConntrackEntry>();

        var result = CtNetlinkParser.Parse(data, entries);

        Assert.Empty(entries);
        Assert.False(result.Done);
    }

    [Fact]
    public void DumpRequest_IsCtGetDumpForEveryFamily()
    {
        var request = CtNetlink.DumpRequest(7);

        Assert.Equal(20, request.Length);
        Assert.Equal(20U, BinaryPrimitives.ReadUInt32LittleEndian(request));
        Assert.Equal(0x0101, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4)));
        Assert.Equal(0x0301, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(6)));
        Assert.Equal(7U, BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(8)));
        Assert.Equal(0, request[16]);
    }
}
