using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Interfaces;

/// <summary>
/// Turns the absolute counters under <c>{SysRoot}/class/net/*</c> into per-interval deltas.
/// The first sight of an interface only sets its baseline; a counter that goes backwards or a new
/// ifindex (the interface was re-created) yields a <see cref="InterfaceUsage.Reset"/> sample with zero
/// deltas and a fresh baseline, so no reader ever sees a negative or wrapped rate.
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
                into.Add(now.IfIndex != before.IfIndex || now.AnyBelow(before)
                    ? new InterfaceUsage(name, 0, 0, 0, 0, 0, 0, 0, 0, speed, Reset: true)
                    : Delta(name, now, before, speed));
            }

            _baseline[name] = now;
        }

        (_unreadable, _unreadableNow) = (_unreadableNow, _unreadable);
        Forget();
    }

    private static InterfaceUsage Delta(string name, in InterfaceCounters now, in InterfaceCounters before, uint speed) =>
        new(name,
            now.RxBytes - before.RxBytes,
            now.TxBytes - before.TxBytes,
            now.RxPackets - before.RxPackets,
            now.TxPackets - before.TxPackets,
            now.RxErrors - before.RxErrors,
            now.TxErrors - before.TxErrors,
            now.RxDropped - before.RxDropped,
            now.TxDropped - before.TxDropped,
            speed,
            Reset: false);

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
