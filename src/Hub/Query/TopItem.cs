namespace FleetNet.Hub.Query;

/// <summary>One ranked row of a top-N answer; the fields that name it depend on what was ranked.</summary>
internal sealed record TopItem(
    string? Host,
    string? Process,
    string? Exe,
    int? Pid,
    DateTimeOffset? StartTime,
    string? Cmdline,
    string? Cgroup,
    long? Uid,
    string? Container,
    string? Interface,
    string? Address,
    int? Port,
    long TxBytes,
    long RxBytes,
    long TxCalls,
    long RxCalls);
