using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Hosting;

/// <summary>One message logged before the host's loggers existed, kept to be written by them.</summary>
internal readonly record struct StartupLogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);
