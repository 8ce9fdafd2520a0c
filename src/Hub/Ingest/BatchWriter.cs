using System.Threading.Channels;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetNet.Hub.Ingest;

/// <summary>
/// Coalesces batches from many agents into large transactions: callers put their batch into a bounded
/// queue and wait for its commit; a few writer loops each take as many queued batches as fit
/// <see cref="BatchWriterOptions.MaxRowsPerTransaction"/> and store them in one transaction (ledger rows,
/// dimensions, binary COPY). A full queue makes callers wait, so memory stays bounded and agents slow
/// down; a failed transaction fails every caller in it (the ingest service answers UNAVAILABLE and the
/// agents replay), so nothing is acked before it is committed.
/// </summary>
internal sealed partial class BatchWriter : IAsyncDisposable
{
    private readonly Channel<PendingWrite> _queue;
    private readonly Task[] _loops;
    private readonly GroupWriter _groupWriter;
    private readonly int _maxRows;
    private readonly ILogger<BatchWriter> _logger;

    public BatchWriter(NpgsqlDataSource dataSource, TimeProvider time, IOptions<BatchWriterOptions> options, ILogger<BatchWriter> logger)
    {
        var o = options.Value;
        _groupWriter = new GroupWriter(dataSource, time);
        _maxRows = o.MaxRowsPerTransaction;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(o.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = o.Writers == 1,
        });
        _loops = new Task[o.Writers];
        for (var i = 0; i < _loops.Length; i++)
        {
            _loops[i] = Task.Run(LoopAsync);
        }
    }

    /// <summary>Returns false when (host, epoch, seq) was stored before; nothing is written then.</summary>
    public async Task<bool> WriteAsync(long hostId, Batch batch, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(hostId, batch);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        // Once queued the batch may still commit after the caller gave up; a replay is then a duplicate.
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task LoopAsync()
    {
        var group = new List<PendingWrite>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            group.Clear();
            var rows = 0;
            while (rows < _maxRows && reader.TryRead(out var pending))
            {
                group.Add(pending);
                rows += pending.Rows;
            }

            if (group.Count == 0)
            {
                continue;
            }

            try
            {
                await _groupWriter.WriteWithRetryAsync(group, CancellationToken.None);
                LogCommitted(group.Count, rows);
            }
            catch (Exception e)
            {
                LogFailed(group.Count, e.Message);
                foreach (var pending in group)
                {
                    pending.Done.TrySetException(e);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops);
    }
}
