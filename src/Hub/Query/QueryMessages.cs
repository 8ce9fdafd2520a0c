using System.Globalization;
using FleetNet.Protocol.V1;

namespace FleetNet.Hub.Query;

/// <summary>The query answers as gRPC messages: the same fields as the REST JSON, times as Unix milliseconds.</summary>
internal static class QueryMessages
{
    /// <summary>A gRPC number as the REST text it stands for: 0 (unset) is absent, so the default applies.</summary>
    public static string? OptionalNumber(int value) => value == 0 ? null : value.ToString(CultureInfo.InvariantCulture);

    public static TopResponse ToMessage(TopResult result)
    {
        var response = new TopResponse
        {
            FromUnixMs = result.From.ToUnixTimeMilliseconds(),
            ToUnixMs = result.To.ToUnixTimeMilliseconds(),
            Source = result.Source,
            OtherTxBytes = result.OtherTxBytes,
            OtherRxBytes = result.OtherRxBytes,
            TotalTxBytes = result.TotalTxBytes,
            TotalRxBytes = result.TotalRxBytes,
        };
        if (result.NextOffset is { } next)
        {
            response.NextOffset = next;
        }

        AddSegments(response.Segments, result.Segments);
        foreach (var item in result.Items)
        {
            response.Items.Add(ToMessage(item));
        }

        return response;
    }

    public static TimelineResponse ToMessage(TimelineResult result)
    {
        var response = new TimelineResponse
        {
            FromUnixMs = result.From.ToUnixTimeMilliseconds(),
            ToUnixMs = result.To.ToUnixTimeMilliseconds(),
            Step = result.Step,
            Source = result.Source,
        };
        AddSegments(response.Segments, result.Segments);
        foreach (var point in result.Points)
        {
            response.Points.Add(new TimelineBucket
            {
                TimeUnixMs = point.Time.ToUnixTimeMilliseconds(),
                TxBytes = point.TxBytes,
                RxBytes = point.RxBytes,
                PeakBps = point.PeakBps,
            });
        }

        return response;
    }

    private static TopRow ToMessage(TopItem item)
    {
        var row = new TopRow { TxBytes = item.TxBytes, RxBytes = item.RxBytes, TxCalls = item.TxCalls, RxCalls = item.RxCalls };
        if (item.Host is not null)
        {
            row.Host = item.Host;
        }

        if (item.Process is not null)
        {
            row.Process = item.Process;
        }

        if (item.Exe is not null)
        {
            row.Exe = item.Exe;
        }

        if (item.Pid is { } pid)
        {
            row.Pid = pid;
        }

        if (item.StartTime is { } start)
        {
            row.StartUnixMs = start.ToUnixTimeMilliseconds();
        }

        if (item.Cmdline is not null)
        {
            row.Cmdline = item.Cmdline;
        }

        if (item.Cgroup is not null)
        {
            row.Cgroup = item.Cgroup;
        }

        if (item.Uid is { } uid)
        {
            row.Uid = uid;
        }

        if (item.Container is not null)
        {
            row.Container = item.Container;
        }

        if (item.Interface is not null)
        {
            row.Interface = item.Interface;
        }

        if (item.Address is not null)
        {
            row.Address = item.Address;
        }

        if (item.Port is { } port)
        {
            row.Port = port;
        }

        return row;
    }

    private static void AddSegments(Google.Protobuf.Collections.RepeatedField<QuerySegment> target, IReadOnlyList<Segment> segments)
    {
        foreach (var segment in segments)
        {
            target.Add(new QuerySegment { Source = segment.Source, FromUnixMs = segment.From.ToUnixTimeMilliseconds(), ToUnixMs = segment.To.ToUnixTimeMilliseconds() });
        }
    }
}
