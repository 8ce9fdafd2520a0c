namespace FleetNet.Hub.Query;

/// <summary>One process's traffic over a window; the REST API's JSON item.</summary>
internal sealed record TopProcessRow(
    string Host,
    string Process,
    string Exe,
    int Pid,
    DateTimeOffset StartTime,
    string Cmdline,
    string Cgroup,
    long Uid,
    long TxBytes,
    long RxBytes,
    long TxCalls,
    long RxCalls);
