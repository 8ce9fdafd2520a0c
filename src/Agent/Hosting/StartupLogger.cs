using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Hosting;

/// <summary>
/// A logger handed out before the host is built: it keeps Information and above in its factory until
/// the host's logger factory arrives, then writes straight to the host's logger for its category.
/// </summary>
internal sealed class StartupLogger(StartupLoggerFactory factory, string category) : ILogger
{
    private ILogger? _target;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _target?.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => _target?.IsEnabled(logLevel) ?? logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (_target is { } target)
        {
            target.Log(logLevel, eventId, state, exception, formatter);
        }
        else if (logLevel >= LogLevel.Information)
        {
            factory.Keep(new StartupLogEntry(category, logLevel, eventId, formatter(state, exception), exception));
        }
    }

    internal void Forward(ILoggerFactory loggers) => _target = loggers.CreateLogger(category);
}
