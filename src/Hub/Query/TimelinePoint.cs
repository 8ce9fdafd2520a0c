namespace FleetNet.Hub.Query;

/// <summary>One step of a timeline or trend: bytes in the step ending after <c>Time</c> and the peak rate seen (interfaces).</summary>
internal sealed record TimelinePoint(DateTimeOffset Time, long TxBytes, long RxBytes, long PeakBps);
