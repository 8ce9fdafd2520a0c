using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Interfaces;

/// <summary>
/// Turns the absolute counters under <c>{SysRoot}/class/net/*</c> into per-interval deltas.
/// The first sight of an interface only sets its baseline. A counter that goes backwards is either a
/// 32-bit counter that wrapped (counted through the wrap, see <see cref="CounterDelta"/>) or a reset; a
/// reset or a new ifindex (the interface was re-created) yields a <see cref="InterfaceUsage.Reset"/>
/// sample with zero deltas and a fresh baseline, so no reader ever sees a negative or impossible rate.
/// </summary>
internal sealed partial class InterfaceCollector(IOptions<AgentOptions> options, ILogger<InterfaceCollector> logger)
{
    private readonly string _netRoot = Path.Combine(options.Value.SysRoot, "class", "net");
    private readonly Dictionary<string, InterfaceCounters> _baseline = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private HashSet<string> _unreadable = new(StringComparer.Ordinal);
    private HashSet<string> _unreadableNow = new(StringComparer.Ordinal);
    private readonly List<string> _forget = [];

    /// <summary>Appends one sample per known interface with the deltas since the previous call.</summary>
    public void Collect(List<InterfaceUsage> into)
    {
        _seen.Clear();
        _unreadableNow.Clear();
        string[] directories;
        try
        {
            directories = Directory.GetFileSystemEntries(_netRoot);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.NetRootUnreadable(logger, _netRoot, e.Message);
            directories = [];
        }

        foreach (var directory in directories)
        {
            var name = Path.GetFileName(directory);
            if (!InterfaceCounters.TryRead(directory, out var now))
            {
                // Garbled, or removed while we read it (veth churn): skip it; its next good read is a new baseline.
                // Warn once per stretch of bad reads, and not at all for an interface that simply went away.
                if (Directory.Exists(directory) && _unreadableNow.Add(name) && !_unreadable.Contains(name))
                {
                    Log.InterfaceUnreadable(logger, name);
                }

                continue;
            }

            _seen.Add(name);
            var speed = InterfaceCounters.ReadSpeed(directory);
            if (_baseline.TryGetValue(name, out var before))
            {
                into.Add(now.IfIndex == before.IfIndex && TryDelta(name, now, before, speed, out var usage)
                    ? usage
                    : new InterfaceUsage(name, 0, 0, 0, 0, 0, 0, 0, 0, speed, Reset: true));
            }

            _baseline[name] = now;
        }

        (_unreadable, _unreadableNow) = (_unreadableNow, _unreadable);
        Forget();
    }

    /// <summary>Every counter's increase; false when any of them was reset rather than wrapped.</summary>
    private bool TryDelta(string name, in InterfaceCounters now, in InterfaceCounters before, uint speed, out InterfaceUsage usage)
    {
        var bytes = CounterDelta.PlausibleBytes(speed, options.Value.IntervalSeconds);
        // A link cannot carry more packets (or errors, or drops) than bytes.
        var ok = CounterDelta.TryCompute(before.RxBytes, now.RxBytes, bytes, out var rxBytes)
            & CounterDelta.TryCompute(before.TxBytes, now.TxBytes, bytes, out var txBytes)
            & CounterDelta.TryCompute(before.RxPackets, now.RxPackets, bytes, out var rxPackets)
            & CounterDelta.TryCompute(before.TxPackets, now.TxPackets, bytes, out var txPackets)
            & CounterDelta.TryCompute(before.RxErrors, now.RxErrors, bytes, out var rxErrors)
            & CounterDelta.TryCompute(before.TxErrors, now.TxErrors, bytes, out var txErrors)
            & CounterDelta.TryCompute(before.RxDropped, now.RxDropped, bytes, out var rxDropped)
            & CounterDelta.TryCompute(before.TxDropped, now.TxDropped, bytes, out var txDropped);
        usage = new InterfaceUsage(name, rxBytes, txBytes, rxPackets, txPackets, rxErrors, txErrors, rxDropped, txDropped, speed, Reset: false);
        return ok;
    }

    private void Forget()
    {
        _forget.Clear();
        foreach (var name in _baseline.Keys)
        {
            if (!_seen.Contains(name))
            {
                _forget.Add(name);
            }
        }

        foreach (var name in _forget)
        {
            _baseline.Remove(name);
        }
    }
}
