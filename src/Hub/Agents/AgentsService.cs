using FleetNet.Protocol.V1;
using Grpc.Core;

namespace FleetNet.Hub.Agents;

/// <summary>The gRPC face of <c>GET /api/v1/agents</c>.</summary>
internal sealed class AgentsService(AgentsQuery query) : Protocol.V1.Agents.AgentsBase
{
    public override async Task<ListAgentsResponse> ListAgents(ListAgentsRequest request, ServerCallContext context)
    {
        var response = new ListAgentsResponse();
        foreach (var r in await query.RunAsync(context.CancellationToken))
        {
            response.Agents.Add(new AgentDelivery
            {
                Host = r.Host,
                HostId = r.HostId,
                LastSeenUnixMs = r.LastSeen.ToUnixTimeMilliseconds(),
                LatestEpoch = r.LatestEpoch,
                BatchesSent = r.BatchesSent,
                BatchesStored = r.BatchesStored,
                SamplesStored = r.SamplesStored,
                BatchesDuplicate = r.BatchesDuplicate,
                BatchesRejected = r.BatchesRejected,
                LastRejection = r.LastRejection,
                LastRejectedUnixMs = r.LastRejectedAt?.ToUnixTimeMilliseconds() ?? 0,
                Gaps = r.Gaps,
                BatchesLost = r.BatchesLost,
                SamplesLost = r.SamplesLost,
                AgentReportedRejected = r.AgentReportedRejected,
                AgentReportedBatchesLost = r.AgentReportedBatchesLost,
                AgentReportedSamplesLost = r.AgentReportedSamplesLost,
            });
        }

        return response;
    }
}
