using FleetNet.Agent.Endpoints;
using FleetNet.Agent.Processes;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.FidelityLevels;

/// <summary>
/// Level 4 of the fidelity chain, no BPF at all: polls TCP sockets over sock_diag (tcp_info bytes_acked
/// and bytes_received) and finds their processes through /proc/&lt;pid&gt;/fd. What it cannot see: UDP
/// (sock_diag has no byte counters for it), bytes of a socket since the last poll when it closes before
/// the next one (a connection opened and closed between polls is invisible), sent bytes not yet acked,
/// and sockets whose owner has no fd left (passed on, or a pid namespace /proc does not show).
/// </summary>
internal sealed class SockDiagTrafficSource : IProcessTrafficSource
{
    private readonly SockDiagReader _reader;
    private readonly ProcReader _proc;
    private readonly SocketOwners _owners;
    private readonly EndpointTopK _topK;
    private readonly Dictionary<ulong, (ulong Acked, ulong Received)> _baselines = [];
    private readonly List<SockDiagReader.TcpSocket> _sockets = [];
    private readonly Dictionary<uint, (ulong Tx, ulong Rx)> _perPid = [];
    private readonly List<EndpointUsage> _rawEndpoints = [];
    private readonly List<EndpointUsage> _pendingEndpoints = [];
    private readonly Lock _gate = new();
    private long _bootUnixMs = -1;

    private SockDiagTrafficSource(SockDiagReader reader, AgentOptions options)
    {
        _reader = reader;
        _proc = new ProcReader(options.ProcRoot);
        _owners = new SocketOwners(options.ProcRoot);
        _topK = new EndpointTopK(options.EndpointTopK);
    }

    public Fidelity Fidelity => Fidelity.SockDiag;

    public string Mechanism => "processes:sock_diag";

    public ulong MapFull => 0;

    public static bool TryStart(AgentOptions options, ILoggerFactory loggers, out IProcessTrafficSource? source, out string reason)
    {
        source = null;
        if (!SockDiagReader.TryOpen(out var reader, out reason) || reader is null)
        {
            return false;
        }

        var started = new SockDiagTrafficSource(reader, options);
        if (!started.Prime())
        {
            reader.Dispose();
            reason = "the sock_diag TCP dump failed";
            return false;
        }

        source = started;
        return true;
    }

    public void Collect(List<ProcessUsage> into)
    {
        lock (_gate)
        {
            _sockets.Clear();
            _reader.TryDump(_sockets);
            _perPid.Clear();
            _rawEndpoints.Clear();
            var rescanned = false;
            var seen = new HashSet<ulong>(_sockets.Count);
            foreach (var socket in _sockets)
            {
                seen.Add(socket.Cookie);
                // A socket first seen now starts at 1 acked byte: bytes_acked counts the SYN (snd_una - iss).
                var previous = _baselines.TryGetValue(socket.Cookie, out var known) ? known : (Acked: 1UL, Received: 0UL);
                _baselines[socket.Cookie] = (socket.BytesAcked, socket.BytesReceived);
                var tx = socket.BytesAcked - Math.Min(previous.Acked, socket.BytesAcked);
                var rx = socket.BytesReceived - Math.Min(previous.Received, socket.BytesReceived);
                if ((tx == 0 && rx == 0) || socket.Inode == 0)
                {
                    continue;
                }

                if (!_owners.TryGetOwner(socket.Inode, out var pid) && !rescanned)
                {
                    _owners.Rescan();
                    rescanned = true;
                }

                if (!_owners.TryGetOwner(socket.Inode, out pid))
                {
                    continue;
                }

                var sum = _perPid.GetValueOrDefault(pid);
                _perPid[pid] = (sum.Tx + tx, sum.Rx + rx);
                _rawEndpoints.Add(new EndpointUsage(pid, 0, IpProtocol.Tcp, socket.Remote, socket.RemotePort, socket.LocalPort, 0, tx, rx, 0, 0));
            }

            foreach (var cookie in _baselines.Keys)
            {
                if (!seen.Contains(cookie))
                {
                    _baselines.Remove(cookie);
                }
            }

            foreach (var (pid, bytes) in _perPid)
            {
                into.Add(Describe(pid, bytes.Tx, bytes.Rx));
            }

            for (var i = 0; i < _rawEndpoints.Count; i++)
            {
                _rawEndpoints[i] = _rawEndpoints[i] with { StartUnixMs = StartUnixMs(_rawEndpoints[i].Pid) };
            }

            _topK.Reduce(_rawEndpoints, _pendingEndpoints);
        }
    }

    public void CollectEndpoints(List<EndpointUsage> into)
    {
        lock (_gate)
        {
            into.AddRange(_pendingEndpoints);
            _pendingEndpoints.Clear();
        }
    }

    public void Dispose() => _reader.Dispose();

    private bool Prime()
    {
        if (!_reader.TryDump(_sockets))
        {
            return false;
        }

        foreach (var socket in _sockets)
        {
            _baselines[socket.Cookie] = (socket.BytesAcked, socket.BytesReceived);
        }

        return true;
    }

    private ProcessUsage Describe(uint pid, ulong tx, ulong rx)
    {
        var startNs = _proc.TryReadStartTicks(pid, out var ticks) ? ticks * (1_000_000_000 / ProcReader.ClockTicksPerSecond) : 0;
        var info = _proc.ReadProcess(pid, startNs);
        var comm = "";
        try
        {
            comm = File.ReadAllText(Path.Combine(_proc.Root, pid.ToString(), "comm")).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        // Calls are unknown at this level (tcp_info counts bytes and segments, not send/recv calls).
        return new ProcessUsage(pid, StartUnixMs(pid), comm, info.Exe, info.Cmdline, info.Cgroup, 0, info.Uid ?? 0, IpProtocol.Tcp, tx, rx, 0, 0)
        {
            Fidelity = Fidelity.SockDiag,
        };
    }

    private long StartUnixMs(uint pid)
    {
        if (_bootUnixMs < 0 && _proc.TryReadBootTimeSeconds(out var btime))
        {
            _bootUnixMs = btime * 1000;
        }

        return _proc.TryReadStartTicks(pid, out var ticks) ? Math.Max(_bootUnixMs, 0) + (long)(ticks * (1000 / ProcReader.ClockTicksPerSecond)) : 0;
    }
}
