namespace FleetNet.Hub.Query;

/// <summary>Fleet-wide (or one host's) processes ranked by bytes sent plus received over a window.</summary>
internal sealed class TopProcessesQuery(TopQuery top, TimeProvider time)
{
    public async Task<TopProcessesResult> RunAsync(TopProcessesRequestParameters parameters, CancellationToken cancellationToken)
    {
        var to = QueryWindow.SlidingEnd(time.GetUtcNow());
        var from = to - parameters.Window;
        var result = await top.RunAsync(
            new TopParameters(GroupBy.Process, from, to, parameters.Limit, 0, QueryFilters.None with { Host = parameters.Host }), cancellationToken);
        var rows = new List<TopProcessRow>(result.Items.Count);
        foreach (var i in result.Items)
        {
            rows.Add(new TopProcessRow(i.Host!, i.Process!, i.Exe!, i.Pid ?? 0, i.StartTime ?? default, i.Cmdline!, i.Cgroup!, i.Uid ?? 0,
                i.TxBytes, i.RxBytes, i.TxCalls, i.RxCalls));
        }

        return new TopProcessesResult(from, to, rows, result.Source, result.OtherTxBytes, result.OtherRxBytes);
    }
}
