using System.Globalization;

namespace FleetNet.Agent.Top;

/// <summary>The nethogs-style text view of a <see cref="TopSnapshot"/>.</summary>
internal static class TopRenderer
{
    public static void Write(TextWriter output, TopSnapshot s, bool clear)
    {
        if (clear)
        {
            output.Write("\e[H\e[2J");
        }

        output.WriteLine(
            $"fleetnet-agent top — {s.Host} — {s.Fidelity} — {s.To:HH:mm:ss} ({s.Seconds:0.0} s)   " +
            $"interfaces rx {Rate(s.InterfaceRxBytes, s.Seconds)} tx {Rate(s.InterfaceTxBytes, s.Seconds)}   " +
            $"unattributed rx {Rate(s.UnattributedRxBytes, s.Seconds)} tx {Rate(s.UnattributedTxBytes, s.Seconds)}");
        output.WriteLine();
        output.WriteLine($"{"PID",8} {"COMM",-16} {"SENT/s",10} {"RECV/s",10} {"CONTAINER/UNIT",-28} EXE");
        foreach (var p in s.Processes)
        {
            var where = p.Container.Length > 0 ? p.Container : p.Unit;
            output.WriteLine($"{p.Pid,8} {Cut(p.Comm, 16),-16} {Rate(p.TxBytes, s.Seconds),10} {Rate(p.RxBytes, s.Seconds),10} {Cut(where, 28),-28} {p.Exe}{(p.Hidden ? " (hidden)" : "")}");
        }

        output.WriteLine();
        output.WriteLine($"{"CONTAINER / UNIT / CGROUP",-40} {"PROCS",5} {"SENT/s",10} {"RECV/s",10}");
        foreach (var c in s.Containers)
        {
            output.WriteLine($"{Cut(c.Name.Length == 0 ? "(none)" : c.Name, 40),-40} {c.Processes,5} {Rate(c.TxBytes, s.Seconds),10} {Rate(c.RxBytes, s.Seconds),10}");
        }

        if (s.Endpoints.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"{"PID",8} {"COMM",-16} {"PROTO",-5} {"REMOTE",-40} {"SENT/s",10} {"RECV/s",10}");
            foreach (var e in s.Endpoints)
            {
                var remote = e.Remote == "other" ? $"other ({e.OtherEndpoints} endpoints)" : $"{e.Remote}:{e.RemotePort}";
                output.WriteLine($"{e.Pid,8} {Cut(e.Comm, 16),-16} {e.Protocol,-5} {Cut(remote, 40),-40} {Rate(e.TxBytes, s.Seconds),10} {Rate(e.RxBytes, s.Seconds),10}");
            }
        }

        output.Flush();
    }

    private static string Rate(ulong bytes, double seconds)
    {
        var rate = seconds > 0 ? bytes / seconds : 0;
        return rate switch
        {
            >= 1 << 30 => (rate / (1 << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
            >= 1 << 20 => (rate / (1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
            >= 1 << 10 => (rate / (1 << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
            _ => rate.ToString("0", CultureInfo.InvariantCulture) + " B",
        };
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
