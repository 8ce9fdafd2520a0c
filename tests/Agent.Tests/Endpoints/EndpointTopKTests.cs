using FleetNet.Agent.Endpoints;
using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Tests.Endpoints;

public sealed class EndpointTopKTests
{
    [Fact]
    public void Reduce_MoreThanKEndpoints_KeepsBiggestAndSumsRestIntoOther()
    {
        var raw = new List<EndpointUsage>();
        for (var i = 0; i < 10; i++)
        {
            raw.Add(Endpoint(pid: 1, port: (uint)(1000 + i), tx: (ulong)(100 * (i + 1))));
        }

        raw.Add(Endpoint(pid: 2, port: 53, tx: 7));
        var reduced = new List<EndpointUsage>();

        new EndpointTopK(3).Reduce(raw, reduced);

        var first = reduced.FindAll(e => e.Pid == 1);
        Assert.Equal(4, first.Count);
        Assert.Equal([1009u, 1008u, 1007u], first.FindAll(e => !e.IsOther).ConvertAll(e => e.RemotePort));
        var other = Assert.Single(first, e => e.IsOther);
        Assert.Equal(7u, other.OtherEndpoints);
        Assert.Equal(100ul + 200 + 300 + 400 + 500 + 600 + 700, other.TxBytes);
        Assert.Equal(7ul, other.TxCalls);
        Assert.Equal(IpProtocol.Tcp, other.Protocol);
        Assert.Equal(1234ul, other.Netns);
        Assert.Empty(other.RemoteAddress);
        var second = Assert.Single(reduced, e => e.Pid == 2);
        Assert.False(second.IsOther);
    }

    [Fact]
    public void Reduce_MixedProtocolsInOther_ProtocolUnspecified()
    {
        List<EndpointUsage> raw =
        [
            Endpoint(1, 1, 50),
            Endpoint(1, 2, 10),
            Endpoint(1, 3, 5) with { Protocol = IpProtocol.Udp },
        ];
        var reduced = new List<EndpointUsage>();

        new EndpointTopK(1).Reduce(raw, reduced);

        Assert.Equal(2, reduced.Count);
        Assert.Equal(1u, reduced[0].RemotePort);
        Assert.Equal(IpProtocol.Unspecified, reduced[1].Protocol);
        Assert.Equal(2u, reduced[1].OtherEndpoints);
    }

    [Fact]
    public void Reduce_AtMostK_NothingSummed()
    {
        List<EndpointUsage> raw = [Endpoint(1, 1, 50), Endpoint(1, 2, 10)];
        var reduced = new List<EndpointUsage>();

        new EndpointTopK(2).Reduce(raw, reduced);

        Assert.Equal(2, reduced.Count);
        Assert.DoesNotContain(reduced, e => e.IsOther);
    }

    private static EndpointUsage Endpoint(uint pid, uint port, ulong tx) =>
        new(pid, 1_700_000_000_000, IpProtocol.Tcp, [127, 0, 0, 1], port, 40000, 1234, tx, 0, 1, 0);
}
