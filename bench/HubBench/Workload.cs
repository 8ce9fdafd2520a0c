namespace FleetNet.Bench;

/// <summary>
/// Realistic shapes: on every host a few heavy programs (nginx, postgres, java, ...) and a long tail of small
/// ones; bytes fall off like 1/rank. 8 heavy names shared by every host, the tail drawn from 120 names.
/// </summary>
internal static class Workload
{
    private static readonly string[] Heavy = ["nginx", "postgres", "java", "envoy", "redis-server", "node", "python3", "kafka"];

    public static string Name(int host, int process) => process < Heavy.Length ? Heavy[process] : $"tail-{(host * 7 + process * 13) % 120}";

    public static ulong Bytes(int process, long seq) => (ulong)(5_000_000 / (process + 1) + (seq % 97) * 10);
}
