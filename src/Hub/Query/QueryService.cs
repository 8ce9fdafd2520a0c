using FleetNet.Protocol.V1;
using Grpc.Core;

namespace FleetNet.Hub.Query;

/// <summary>The gRPC face of the query API; same parameters, validation and answers as REST.</summary>
internal sealed class QueryService(TopProcessesQuery topProcesses, HostsQuery hosts) : Protocol.V1.Query.QueryBase
{
    public override async Task<TopProcessesResponse> TopProcesses(TopProcessesRequest request, ServerCallContext context)
    {
        var limit = request.Limit == 0 ? null : request.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!TopProcessesRequestParameters.TryCreate(request.Window, limit, request.Host, out var parameters, out var error))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, error));
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
