namespace FleetNet.Hub.Query;

/// <summary>The answer to a top-processes query: the window it covers and the rows, biggest first.</summary>
internal sealed record TopProcessesResult(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<TopProcessRow> Items);
