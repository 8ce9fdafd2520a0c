using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace FleetNet.Hub.Security;

/// <summary>
/// A token bucket per host (per hub replica): an agent that floods the hub is slowed down on its own
/// and told when to come back; every other agent keeps its full rate.
/// </summary>
internal sealed class AgentRateLimiter(IOptions<SecurityOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<long, Bucket> _buckets = new();

    /// <summary>True when the host may send one more batch now; otherwise how long until it may.</summary>
    public bool TryAcquire(long hostId, out TimeSpan retryAfter)
    {
        var o = options.Value;
        var bucket = _buckets.GetOrAdd(hostId, _ => new Bucket(o.AgentBatchBurst, time.GetTimestamp()));
        lock (bucket)
        {
            var now = time.GetTimestamp();
            var elapsed = time.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
            bucket.Tokens = Math.Min(o.AgentBatchBurst, bucket.Tokens + (elapsed * o.AgentBatchesPerSecond));
            bucket.Stamp = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / o.AgentBatchesPerSecond);
            return false;
        }
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens { get; set; } = tokens;

        public long Stamp { get; set; } = stamp;
    }
}
