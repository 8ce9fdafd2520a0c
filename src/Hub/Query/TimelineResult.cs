namespace FleetNet.Hub.Query;

/// <summary>A timeline or trend: its window, step, the table(s) that answered, and the points in time order.</summary>
internal sealed record TimelineResult(DateTimeOffset From, DateTimeOffset To, string Step, string Source, IReadOnlyList<Segment> Segments, IReadOnlyList<TimelinePoint> Points);
