namespace FleetNet.Hub.Query;

/// <summary>A stretch of a query's window answered by one table: <c>raw</c>, <c>1m</c>, <c>1h</c> or <c>1d</c>.</summary>
internal sealed record Segment(string Source, DateTimeOffset From, DateTimeOffset To);
