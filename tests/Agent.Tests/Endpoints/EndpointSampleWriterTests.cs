using FleetNet.Agent.Endpoints;
using FleetNet.Agent.Pipeline;
using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Tests.Endpoints;

public sealed class EndpointSampleWriterTests
{
    [Fact]
    public void Encode_EndpointAndOtherBucket_SamplesWithIntervalAddressAndCount()
    {
        byte[] address = [198, 18, 0, 2];
        List<EndpointUsage> endpoints =
        [
            new(42, 5_000, IpProtocol.Udp, address, 53, 40_000, 4_026_531_840, 100, 200, 1, 2),
            new(42, 5_000, IpProtocol.Tcp, [], 0, 0, 4_026_531_840, 10, 20, 3, 4, OtherEndpoints: 17),
            new(43, 6_000, IpProtocol.Tcp, address, 443, 40_001, 4_026_531_840, 5, 6, 7, 8),
        ];

        var bytes = new BatchBuilder(new AgentEpoch(1)).Encode(1_000, 11_000, [], [], endpoints, new Drops());
        var batch = Batch.Parser.ParseFrom(bytes);

        Assert.Equal(3, batch.Endpoints.Count);
        var first = batch.Endpoints[0];
        Assert.Equal((10_000u, 10_000u, 42u, 5_000L), (first.IntervalMs, first.OffsetMs, first.Pid, first.StartUnixMs));
        Assert.Equal(IpProtocol.Udp, first.Protocol);
        Assert.Equal(new byte[] { 198, 18, 0, 2 }, first.RemoteAddress.ToByteArray());
        Assert.Equal((53u, 40_000u, 4_026_531_840ul), (first.RemotePort, first.LocalPort, first.Netns));
        Assert.Equal((100ul, 200ul, 1ul, 2ul), (first.TxBytes, first.RxBytes, first.TxCalls, first.RxCalls));
        Assert.Equal(0u, first.OtherEndpoints);
        var other = batch.Endpoints[1];
        Assert.True(other.RemoteAddress.IsEmpty);
        Assert.Equal((17u, 0u, 0u), (other.OtherEndpoints, other.RemotePort, other.LocalPort));
        var third = batch.Endpoints[2];
        Assert.Equal((43u, 443u, 40_001u), (third.Pid, third.RemotePort, third.LocalPort));
        Assert.Equal(new byte[] { 198, 18, 0, 2 }, third.RemoteAddress.ToByteArray());
        Assert.Equal((5ul, 6ul, 7ul, 8ul), (third.TxBytes, third.RxBytes, third.TxCalls, third.RxCalls));
    }
}
