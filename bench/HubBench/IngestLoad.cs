using System.Diagnostics;
using FleetNet.Protocol.V1;
using Google.Protobuf;
using Grpc.Net.Client;

namespace FleetNet.Bench;

/// <summary>N agents on N gRPC streams, each sending one batch (processes × 1 sample, 2 interfaces, 10 endpoints, the agent's counters) and waiting for its ack.</summary>
internal static class IngestLoad
{
    public sealed record Result(long Samples, TimeSpan Elapsed);

    /// <param name="hostPrefix">Host names are this plus the agent number: a warm-up run uses other hosts than the measured one.</param>
    public static async Task<Result> RunAsync(string url, BenchSettings settings, string hostPrefix, int seconds)
    {
        using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var stop = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        var counts = await Task.WhenAll(Enumerable.Range(0, settings.Agents).Select(a => AgentAsync(channel, hostPrefix, a, settings.Processes, stop, deadline)));
        return new Result(counts.Sum(), stop.Elapsed);
    }

    private static async Task<long> AgentAsync(GrpcChannel channel, string hostPrefix, int agent, int processes, Stopwatch clock, TimeSpan deadline)
    {
        var client = new Ingest.IngestClient(channel);
        using var call = client.Stream();
        var hello = new Hello
        {
            HostName = $"{hostPrefix}{agent}", MachineId = $"{agent:x32}", BootId = "boot", AgentVersion = "bench", Kernel = "6.18",
            Fidelity = Fidelity.BtfTracepoint, Epoch = 1, Labels = { ["role"] = agent % 2 == 0 ? "web" : "db" },
        };
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = hello });
        await call.ResponseStream.MoveNext(CancellationToken.None);
        var start = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        var batch = Template(agent, processes);
        long stored = 0;
        for (ulong seq = 1; clock.Elapsed < deadline && seq < 100_000; seq++)
        {
            batch.Seq = seq;
            batch.StartUnixMs = start + (long)seq * 10_000;
            batch.EndUnixMs = batch.StartUnixMs + 10_000;
            batch.Counters.BatchesSent = seq; // as a real agent's outbox adds to every batch
            for (var j = 0; j < batch.Processes.Count; j++)
            {
                batch.Processes[j].TxBytes = Workload.Bytes(j, (long)seq);
            }

            await call.RequestStream.WriteAsync(new AgentMessage { Batch = ByteString.CopyFrom(batch.ToByteArray()) });
            if (!await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                break;
            }

            var ack = call.ResponseStream.Current.Ack;
            if (ack.Code != 0)
            {
                Console.Error.WriteLine($"agent {agent}: ack {ack.Code} {ack.Message}");
                break;
            }

            if (!ack.Duplicate)
            {
                stored += batch.Processes.Count + batch.Interfaces.Count + batch.Endpoints.Count;
            }
        }

        await call.RequestStream.CompleteAsync();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
        }

        return stored;
    }

    private static Batch Template(int agent, int processes)
    {
        var batch = new Batch { Epoch = 1, Strings = { "", "eth0", "lo" }, Counters = new AgentCounters() };
        batch.Interfaces.Add(new InterfaceSample { Name = 1, OffsetMs = 10_000, IntervalMs = 10_000, RxBytes = 123_456, TxBytes = 654_321, SpeedMbps = 10_000 });
        batch.Interfaces.Add(new InterfaceSample { Name = 2, OffsetMs = 10_000, IntervalMs = 10_000, RxBytes = 1000, TxBytes = 1000 });
        for (var j = 0; j < processes; j++)
        {
            var name = Workload.Name(agent, j);
            batch.Strings.Add(name);
            batch.Strings.Add($"/usr/bin/{name}");
            var idx = (uint)batch.Strings.Count - 2;
            batch.Processes.Add(new ProcessSample
            {
                OffsetMs = 10_000, IntervalMs = 10_000, Pid = (uint)(1000 + j), StartUnixMs = 1_700_000_000_000 + j,
                Comm = idx, Exe = idx + 1, Cmdline = idx + 1, Cgroup = 0, Protocol = IpProtocol.Tcp,
                RxBytes = Workload.Bytes(j, 1) / 2, TxCalls = 10, RxCalls = 10,
            });
            if (j < 10)
            {
                batch.Endpoints.Add(new EndpointSample
                {
                    OffsetMs = 10_000, IntervalMs = 10_000, Pid = (uint)(1000 + j), StartUnixMs = 1_700_000_000_000 + j, Protocol = IpProtocol.Tcp,
                    RemoteAddress = ByteString.CopyFrom([198, 18, (byte)(j + 1), (byte)(agent % 250 + 1)]), RemotePort = 443, LocalPort = 40000,
                    TxBytes = 1000, RxBytes = 2000, TxCalls = 1, RxCalls = 1,
                });
            }
        }

        return batch;
    }
}
