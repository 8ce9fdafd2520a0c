using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Hosting;

/// <summary>
/// Loggers for what runs before the host is built (<see cref="EarlyProcessSource"/>). <see cref="Forward"/>
/// writes what they kept to the host's loggers, in order, and makes them write there from then on.
/// </summary>
internal sealed class StartupLoggerFactory : ILoggerFactory
{
    private readonly Lock _gate = new();
    private readonly List<StartupLogger> _loggers = [];
    private readonly List<StartupLogEntry> _kept = [];
    private ILoggerFactory? _target;

    public ILogger CreateLogger(string categoryName)
    {
        lock (_gate)
        {
            if (_target is { } target)
            {
                return target.CreateLogger(categoryName);
            }

            var logger = new StartupLogger(this, categoryName);
            _loggers.Add(logger);
            return logger;
        }
    }

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("startup loggers forward to the host's logger factory");

    /// <summary>Writes the kept messages to <paramref name="loggers"/> and sends every later message there.</summary>
    public void Forward(ILoggerFactory loggers)
    {
        lock (_gate)
        {
            _target = loggers;
            foreach (var entry in _kept)
            {
                loggers.CreateLogger(entry.Category).Log(entry.Level, entry.EventId, entry.Message, entry.Exception, static (message, _) => message);
            }

            _kept.Clear();
            foreach (var logger in _loggers)
            {
                logger.Forward(loggers);
            }
        }
    }

    public void Dispose()
    {
    }

    internal void Keep(StartupLogEntry entry)
    {
        lock (_gate)
        {
            _kept.Add(entry);
        }
    }
}
