using FleetNet.Agent.Processes;
using FleetNet.Agent.Tests.Processes;
using Microsoft.Extensions.Logging;

namespace FleetNet.Agent.Tests.Interop;

[Collection(LibbpfCollection.Name)]
public sealed class LibbpfLogTests
{
    [PrivilegedFact]
    public void TryStart_DebugLogger_ReceivesLibbpfMessagesFormattedByVsnprintf()
    {
        PrivilegedFactAttribute.RequireRoot();
        var loggers = new ListLoggerFactory();

        Assert.True(BpfProcessTrafficSource.TryStart(new AgentOptions(), loggers, out var source, out var reason), reason);
        source!.Dispose();

        // libbpf logs "loading object '%s' from buffer" at debug level while opening the object.
        Assert.Contains(loggers.Messages, m => m.Level == LogLevel.Debug && m.Message.Contains("loading object 'fleetnet' from buffer"));
        Assert.DoesNotContain(loggers.Messages, m => m.Message.Contains("%s") || m.Message.EndsWith('\n'));
    }
}
