using FleetNet.Protocol.V1;
using Grpc.Core;

namespace FleetNet.Hub.Query;

/// <summary>The gRPC face of the query API; same parameters, validation and answers as REST.</summary>
internal sealed class QueryService(TopProcessesQuery topProcesses, HostsQuery hosts, TopQuery top, TimelineQuery timeline, TimeProvider time)
    : Protocol.V1.Query.QueryBase
{
    public override async Task<TopResponse> Top(TopRequest request, ServerCallContext context)
    {
        if (!TopParameters.TryParseGroupBy(request.GroupBy, out var group, out var error)
            || !TopParameters.TryCreate(group, request.Window, request.From, request.To, QueryMessages.OptionalNumber(request.Limit), QueryMessages.OptionalNumber(request.Offset),
                request.Host, request.Label, request.Container, request.Process, time.GetUtcNow(), out var parameters, out error))
        {
            throw Invalid(error);
        }

        return QueryMessages.ToMessage(await top.RunAsync(parameters, context.CancellationToken));
    }

    public override async Task<TimelineResponse> Timeline(TimelineRequest request, ServerCallContext context) =>
        TimelineParameters.TryCreate(request.Series, request.Window, request.From, request.To, request.Step, TimelineParameters.DefaultWindow,
            request.Host, request.Label, request.Process, request.Interface, time.GetUtcNow(), out var parameters, out var error)
            ? QueryMessages.ToMessage(await timeline.RunAsync(parameters, context.CancellationToken))
            : throw Invalid(error);

    public override async Task<TimelineResponse> Trends(TrendsRequest request, ServerCallContext context) =>
        TrendParameters.TryCreate(request.Window, request.From, request.To, request.Period, request.Host, request.Label, request.Interface, time.GetUtcNow(),
            out var parameters, out var error)
            ? QueryMessages.ToMessage(await timeline.RunAsync(parameters, context.CancellationToken))
            : throw Invalid(error);

    private static RpcException Invalid(string error) => new(new Status(StatusCode.InvalidArgument, error));

    public override async Task<TopProcessesResponse> TopProcesses(TopProcessesRequest request, ServerCallContext context)
    {
        if (!TopProcessesRequestParameters.TryCreate(request.Window, QueryMessages.OptionalNumber(request.Limit), request.Host, out var parameters, out var error))
        {
            throw Invalid(error);
        }

        var result = await topProcesses.RunAsync(parameters, context.CancellationToken);
        var response = new TopProcessesResponse
        {
            FromUnixMs = result.From.ToUnixTimeMilliseconds(),
            ToUnixMs = result.To.ToUnixTimeMilliseconds(),
        };
        foreach (var row in result.Items)
        {
            response.Items.Add(new TopProcess
            {
                Host = row.Host,
                Process = row.Process,
                Exe = row.Exe,
                Pid = (uint)row.Pid,
                StartUnixMs = row.StartTime.ToUnixTimeMilliseconds(),
                Cmdline = row.Cmdline,
                Cgroup = row.Cgroup,
                Uid = (uint)row.Uid,
                TxBytes = (ulong)row.TxBytes,
                RxBytes = (ulong)row.RxBytes,
                TxCalls = (ulong)row.TxCalls,
                RxCalls = (ulong)row.RxCalls,
            });
        }

        return response;
    }

    public override async Task<ListHostsResponse> ListHosts(ListHostsRequest request, ServerCallContext context)
    {
        var response = new ListHostsResponse();
        foreach (var row in await hosts.RunAsync(context.CancellationToken))
        {
            var host = new HostInfo
            {
                Name = row.Name,
                MachineId = row.MachineId,
                Kernel = row.Kernel,
                AgentVersion = row.AgentVersion,
                Fidelity = row.Fidelity,
                FirstSeenUnixMs = row.FirstSeen.ToUnixTimeMilliseconds(),
                LastSeenUnixMs = row.LastSeen.ToUnixTimeMilliseconds(),
            };
            host.Collectors.Add(row.Collectors);
            foreach (var (key, value) in row.Labels)
            {
                host.Labels[key] = value;
            }
            response.Hosts.Add(host);
        }

        return response;
    }
}
