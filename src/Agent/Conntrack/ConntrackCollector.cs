using FleetNet.Agent.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Conntrack;

/// <summary>
/// Every interval: table usage from <c>{ProcRoot}/sys/net/netfilter/nf_conntrack_{count,max,acct}</c> and
/// a ctnetlink dump turned into per-flow deltas. When conntrack is not there (module absent) or access is
/// refused, the snapshot says so (<see cref="ConntrackSnapshot.Available"/> false, with the reason) and the
/// rest of the batch is unaffected. Owned by the sampler (not thread-safe).
/// </summary>
internal sealed partial class ConntrackCollector(IOptions<AgentOptions> options, ILogger<ConntrackCollector> logger) : IDisposable
{
    private readonly string _netfilter = Path.Combine(options.Value.ProcRoot, "sys", "net", "netfilter");
    private readonly ConntrackDeltaTracker _tracker = new();
    private readonly List<ConntrackEntry> _dump = [];
    private NetlinkSocket? _socket;
    private Func<NetlinkSocket?>? _open;
    private uint _seq;
    private string _lastReason = "";
    private bool _accountingTried;

    /// <summary>Opens sockets with this function instead (tests: a socket in another network namespace).</summary>
    internal void UseSocketFactory(Func<NetlinkSocket?> open) => _open = open;

    public ConntrackSnapshot Collect()
    {
        if (!options.Value.ConntrackEnabled)
        {
            return ConntrackSnapshot.NotAvailable("disabled by configuration (ConntrackEnabled=false)");
        }

        if (!TryReadNumber("nf_conntrack_count", out var count))
        {
            return NotAvailable($"nf_conntrack is not loaded ({Path.Combine(_netfilter, "nf_conntrack_count")} is missing)");
        }

        TryReadNumber("nf_conntrack_max", out var max);
        EnableAccountingOnce();
        var accounting = TryReadNumber("nf_conntrack_acct", out var acct) && acct != 0;
        var openErrno = 0;
        var socket = _socket ??= Open(out openErrno);
        if (socket is null)
        {
            return NotAvailable($"cannot open a NETLINK_NETFILTER socket: {Errno(openErrno)}");
        }

        _dump.Clear();
        var errno = ConntrackDumper.Dump(socket, ++_seq, _dump, out var malformed);
        if (malformed > 0)
        {
            Log.MalformedMessages(logger, malformed);
        }

        if (errno != 0)
        {
            // A socket that failed mid-dump may still hold replies: start the next dump on a fresh one.
            socket.Dispose();
            _socket = null;
            if (errno != Interop.Interop.Netlink.ENOBUFS || _dump.Count == 0)
            {
                return NotAvailable($"conntrack dump refused: {Errno(errno)}");
            }
        }

        var flows = new List<ConntrackFlowDelta>();
        _tracker.Update(_dump, flows);
        Limit(flows, options.Value.ConntrackMaxFlows);
        if (_lastReason.Length > 0)
        {
            Log.Available(logger);
            _lastReason = "";
        }

        return new ConntrackSnapshot(true, "", count, max, accounting, flows);
    }

    public void Dispose() => _socket?.Dispose();

    private NetlinkSocket? Open(out int errno)
    {
        if (_open is not null)
        {
            errno = 0;
            return _open();
        }

        return ConntrackDumper.TryOpen(out var socket, out errno) ? socket : null;
    }

    private ConntrackSnapshot NotAvailable(string reason)
    {
        if (!string.Equals(reason, _lastReason, StringComparison.Ordinal))
        {
            Log.NotAvailable(logger, reason);
            _lastReason = reason;
        }

        return ConntrackSnapshot.NotAvailable(reason);
    }

    private void EnableAccountingOnce()
    {
        if (_accountingTried || !options.Value.ConntrackEnableAccounting)
        {
            return;
        }

        _accountingTried = true;
        var path = Path.Combine(_netfilter, "nf_conntrack_acct");
        try
        {
            File.WriteAllText(path, "1");
            Log.AccountingEnabled(logger, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.AccountingNotEnabled(logger, path, e.Message);
        }
    }

    /// <summary>Keeps the <paramref name="max"/> flows that moved the most bytes (then packets).</summary>
    private static void Limit(List<ConntrackFlowDelta> flows, int max)
    {
        if (flows.Count <= max)
        {
            return;
        }

        flows.Sort(static (a, b) => b.Bytes != a.Bytes
            ? b.Bytes.CompareTo(a.Bytes)
            : (b.OrigPackets + b.ReplyPackets).CompareTo(a.OrigPackets + a.ReplyPackets));
        flows.RemoveRange(max, flows.Count - max);
    }

    private bool TryReadNumber(string name, out ulong value)
    {
        value = 0;
        try
        {
            return ulong.TryParse(File.ReadAllText(Path.Combine(_netfilter, name)).AsSpan().Trim(), out value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Errno(int errno) => errno switch
    {
        1 => "EPERM (needs CAP_NET_ADMIN)",
        13 => "EACCES",
        2 => "ENOENT (ctnetlink not available)",
        93 => "EPROTONOSUPPORT (ctnetlink not available)",
        97 => "EAFNOSUPPORT",
        11 => "EAGAIN (no answer within 2 s)",
        105 => "ENOBUFS (dump overran the socket buffer)",
        _ => "errno " + errno,
    };
}
