using FleetNet.Agent.Pipeline;
using FleetNet.Protocol.V1;
using Google.Protobuf;

namespace FleetNet.Agent.Conntrack;

/// <summary>Writes a <see cref="ConntrackSnapshot"/> into a batch: the table, then one flow sample per flow.</summary>
internal static class ConntrackBatchWriter
{
    public static void AddTo(Batch batch, ConntrackSnapshot snapshot, StringTable strings, uint intervalMs)
    {
        batch.ConntrackTable = new ConntrackTable
        {
            Available = snapshot.Available,
            Reason = strings.Intern(snapshot.Reason),
            Entries = snapshot.Entries,
            MaxEntries = snapshot.MaxEntries,
            Accounting = snapshot.Accounting,
        };

        foreach (var flow in snapshot.Flows)
        {
            var e = flow.Entry;
            batch.ConntrackFlows.Add(new ConntrackFlow
            {
                OffsetMs = intervalMs,
                IntervalMs = intervalMs,
                Protocol = e.Protocol switch { 6 => IpProtocol.Tcp, 17 => IpProtocol.Udp, _ => IpProtocol.Other },
                OrigSrc = ByteString.CopyFrom(e.OrigSrc),
                OrigDst = ByteString.CopyFrom(e.OrigDst),
                OrigSrcPort = e.OrigSrcPort,
                OrigDstPort = e.OrigDstPort,
                ReplySrc = ByteString.CopyFrom(e.ReplySrc),
                ReplyDst = ByteString.CopyFrom(e.ReplyDst),
                ReplySrcPort = e.ReplySrcPort,
                ReplyDstPort = e.ReplyDstPort,
                OrigBytes = flow.OrigBytes,
                OrigPackets = flow.OrigPackets,
                ReplyBytes = flow.ReplyBytes,
                ReplyPackets = flow.ReplyPackets,
                Zone = e.Zone,
                Mark = e.Mark,
            });
        }
    }
}
