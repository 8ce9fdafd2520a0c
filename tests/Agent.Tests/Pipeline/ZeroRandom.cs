namespace FleetNet.Agent.Tests.Pipeline;

/// <summary>Full jitter that always picks 0: reconnects happen at once, so tests never wait on backoff.</summary>
internal sealed class ZeroRandom : Random
{
    public override double NextDouble() => 0;
}
