namespace FleetNet.Hub.Query;

/// <summary>The answer to a top-processes query: the window it covers, the rows biggest first, the table that answered and the rest.</summary>
internal sealed record TopProcessesResult(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<TopProcessRow> Items,
    string Source = "raw", long OtherTxBytes = 0, long OtherRxBytes = 0);
