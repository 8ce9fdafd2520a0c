namespace FleetNet.Hub.Query;

/// <summary>
/// A top-N answer: the rows of the page, the bytes of every row ranked after the page (<c>other</c>), the
/// total of all rows, the offset of the next page (null at the end), and the table(s) that answered.
/// </summary>
internal sealed record TopResult(
    DateTimeOffset From,
    DateTimeOffset To,
    string Source,
    IReadOnlyList<Segment> Segments,
    IReadOnlyList<TopItem> Items,
    long OtherTxBytes,
    long OtherRxBytes,
    long TotalTxBytes,
    long TotalRxBytes,
    int? NextOffset);
