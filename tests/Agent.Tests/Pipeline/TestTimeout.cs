namespace FleetNet.Agent.Tests.Pipeline;

/// <summary>A generous bound for awaits that must complete, so a bug fails the test instead of hanging it.</summary>
internal static class TestTimeout
{
    public static CancellationToken Token => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;
}
