using FleetNet.Agent.Endpoints;
using FleetNet.Protocol.V1;

namespace FleetNet.Agent.Tests.Endpoints;

public sealed class EndpointSampleWriterTests
{
    [Fact]
    public void AddTo_EndpointAndOtherBucket_SamplesWithIntervalAddressAndCount()
    {
        var batch = new Batch { StartUnixMs = 1_000, EndUnixMs = 11_000 };
        List<EndpointUsage> endpoints =
        [
            new(42, 5_000, IpProtocol.Udp, [198, 18, 0, 2], 53, 40_000, 4_026_531_840, 100, 200, 1, 2),
            new(42, 5_000, IpProtocol.Tcp, [], 0, 0, 4_026_531_840, 10, 20, 3, 4, OtherEndpoints: 17),
        ];

        EndpointSampleWriter.AddTo(batch, endpoints);

        Assert.Equal(2, batch.Endpoints.Count);
        var first = batch.Endpoints[0];
        Assert.Equal((10_000u, 10_000u, 42u, 5_000L), (first.IntervalMs, first.OffsetMs, first.Pid, first.StartUnixMs));
        Assert.Equal(new byte[] { 198, 18, 0, 2 }, first.RemoteAddress.ToByteArray());
        Assert.Equal((53u, 40_000u, 4_026_531_840ul), (first.RemotePort, first.LocalPort, first.Netns));
        Assert.Equal((100ul, 200ul, 1ul, 2ul), (first.TxBytes, first.RxBytes, first.TxCalls, first.RxCalls));
        var other = batch.Endpoints[1];
        Assert.True(other.RemoteAddress.IsEmpty);
        Assert.Equal(17u, other.OtherEndpoints);
    }
}
