using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Tests.Pipeline;

/// <summary>What the test hub received, what it stored (its dedup view), and how it answers.</summary>
internal sealed class TestIngestState
{
    private readonly Lock _lock = new();
    private readonly List<List<AgentMessage>> _streams = [];
    private readonly Dictionary<(ulong Epoch, ulong Seq), int> _stores = [];

    /// <summary>Decides the answer to one batch on one stream (0-based); null means the default (store + ack).</summary>
    public Func<int, Batch, HubAnswer?> Answer { get; set; } = (_, _) => null;

    /// <summary>Messages received, per stream, in arrival order.</summary>
    public List<List<AgentMessage>> Streams
    {
        get
        {
            lock (_lock)
            {
                return _streams.ConvertAll(messages => messages.ToList());
            }
        }
    }

    /// <summary>How many times each (epoch, seq) was written; a correct agent + dedup gives exactly 1 each.</summary>
    public Dictionary<(ulong Epoch, ulong Seq), int> Stores
    {
        get
        {
            lock (_lock)
            {
                return new(_stores);
            }
        }
    }

    public int OpenStream()
    {
        lock (_lock)
        {
            _streams.Add([]);
            return _streams.Count - 1;
        }
    }

    public void Record(int stream, AgentMessage message)
    {
        lock (_lock)
        {
            _streams[stream].Add(message);
        }
    }

    /// <summary>Writes the batch unless already stored; true when it was a duplicate.</summary>
    public bool Store(Batch batch)
    {
        lock (_lock)
        {
            var key = (batch.Epoch, batch.Seq);
            if (_stores.ContainsKey(key))
            {
                return true;
            }

            _stores[key] = 1;
            return false;
        }
    }
}
