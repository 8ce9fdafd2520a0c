using FleetNet.Hub.Tests.Rollups;
using FleetNet.Hub.Tests.Storage;
using FleetNet.Protocol.V1;
using Google.Protobuf;

namespace FleetNet.Hub.Tests.Ingest;

/// <summary>The binary COPY rows the writer builds itself read back column for column.</summary>
public sealed class SampleCopierTests(PostgresFixture postgres) : HubTestBase(postgres)
{
    [Fact]
    public async Task Stream_ProcessInterfaceEndpointSamples_StoredWithEveryValueExact()
    {
        var end = new DateTimeOffset(2026, 11, 25, 11, 59, 58, 123, TimeSpan.Zero);
        var batch = TestBatches.Batch(1, end, processes: [(100, "nginx", 5_000_000_000_123, 42)]);
        batch.Processes[0].OffsetMs = 9_500;
        batch.Processes[0].IntervalMs = 9_500;
        batch.Processes[0].Protocol = IpProtocol.Udp;
        batch.Processes[0].TxCalls = 7;
        batch.Processes[0].RxCalls = 3_000_000_000;
        batch.Interfaces[0] = new InterfaceSample
        {
            Name = 1, OffsetMs = 10_000, IntervalMs = 10_000, RxBytes = 1, TxBytes = 2, RxPackets = 3, TxPackets = 4,
            RxErrors = 5, TxErrors = 6, RxDropped = 7, TxDropped = 8, SpeedMbps = 25_000, Reset = true,
        };
        batch.Endpoints.Add(new EndpointSample
        {
            OffsetMs = 10_000, IntervalMs = 10_000, Pid = 100, StartUnixMs = 1_700_000_000_100, Protocol = IpProtocol.Tcp,
            RemoteAddress = ByteString.CopyFrom([198, 18, 0, 9]), RemotePort = 443, LocalPort = 65_535,
            TxBytes = 11, RxBytes = 12, TxCalls = 13, RxCalls = 14, OtherEndpoints = 15,
        });

        await RollupData.SendAsync(Hub, "web-1", batch);

        Assert.Equal(["2026-11-25T11:59:57.623Z 2 9500 5000000000123 42 7 3000000000 nginx"], await RowsAsync("""
            SELECT to_char(s.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), s.protocol, s.interval_ms, s.tx_bytes, s.rx_bytes, s.tx_calls, s.rx_calls, p.comm
            FROM process_samples s JOIN processes p ON p.id = s.process_id JOIN hosts h ON h.id = s.host_id AND h.id = p.host_id
            """));
        Assert.Equal(["2026-11-25T11:59:58.123Z eth0 10000 1 2 3 4 5 6 7 8 25000 True"], await RowsAsync("""
            SELECT to_char(s.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), i.name, s.interval_ms, s.rx_bytes, s.tx_bytes, s.rx_packets, s.tx_packets,
                   s.rx_errors, s.tx_errors, s.rx_dropped, s.tx_dropped, s.speed_mbps, s.reset
            FROM interface_samples s JOIN interfaces i ON i.id = s.interface_id AND i.host_id = s.host_id
            """));
        Assert.Equal(["198.18.0.9 443 65535 10000 11 12 13 14 15 100"], await RowsAsync("""
            SELECT host(e.address), e.port, s.local_port, s.interval_ms, s.tx_bytes, s.rx_bytes, s.tx_calls, s.rx_calls, s.other_endpoints, p.pid
            FROM endpoint_samples s JOIN endpoints e ON e.id = s.endpoint_id JOIN processes p ON p.id = s.process_id
            """));
    }

    private Task<List<string>> RowsAsync(string sql) => RollupData.RowsAsync(Postgres.ConnectionString, sql);
}
