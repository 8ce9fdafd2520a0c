using System.Text;
using FleetNet.Agent.Spool;
using FleetNet.Protocol.V1;
using Google.Protobuf;

namespace FleetNet.Fuzz;

/// <summary>Writes the starting corpus: well-formed inputs of every target, plus a few damaged ones.</summary>
public static class FuzzSeeds
{
    public static void Write(string corpus)
    {
        var now = 1_764_072_000_000L;
        var batch = new Batch
        {
            Epoch = (ulong)now,
            Seq = 1,
            StartUnixMs = now - 10_000,
            EndUnixMs = now,
            Strings = { "", "eth0", "curl", "/usr/bin/curl", "curl -s http://198.18.0.1/", "/user.slice", "spool full" },
            Interfaces = { new InterfaceSample { Name = 1, OffsetMs = 10_000, IntervalMs = 10_000, RxBytes = 1500, TxBytes = 900, SpeedMbps = 1000 } },
            Processes =
            {
                new ProcessSample
                {
                    OffsetMs = 10_000, IntervalMs = 10_000, Pid = 4242, StartUnixMs = now - 60_000, Comm = 2, Exe = 3, Cmdline = 4,
                    Cgroup = 5, CgroupId = 77, Uid = 1000, Protocol = IpProtocol.Tcp, TxBytes = 1200, RxBytes = 800, TxCalls = 3, RxCalls = 2,
                },
            },
            Drops = new Drops { QueueDropped = 2, MapFull = 1 },
            Gaps = { new Gap { StartUnixMs = now - 60_000, EndUnixMs = now - 40_000, BatchesLost = 2, SamplesLost = 7, Reason = 6 } },
            Counters = new AgentCounters { BatchesSent = 1, BatchesLost = 2, SamplesLost = 7 },
        };
        var encoded = batch.ToByteArray();
        Seed(corpus, "batch", "valid", encoded);
        Seed(corpus, "batch", "empty", []);
        Seed(corpus, "batch", "truncated", encoded[..(encoded.Length / 2)]);
        var badIndex = batch.Clone();
        badIndex.Interfaces[0].Name = 99;
        Seed(corpus, "batch", "bad-string-index", badIndex.ToByteArray());
        var future = batch.Clone();
        future.EndUnixMs = long.MaxValue;
        future.StartUnixMs = long.MinValue;
        Seed(corpus, "batch", "extreme-times", future.ToByteArray());

        var segment = new MemoryStream();
        for (var seq = 1UL; seq <= 3; seq++)
        {
            var b = batch.Clone();
            b.Seq = seq;
            var payload = b.ToByteArray();
            var record = new byte[SpoolRecordHeader.Size + payload.Length];
            new SpoolRecordHeader(b.Epoch, seq, b.StartUnixMs, b.EndUnixMs, 2, payload.Length).Write(record, payload, []);
            payload.CopyTo(record, SpoolRecordHeader.Size);
            segment.Write(record);
        }

        var spool = segment.ToArray();
        Seed(corpus, "spool", "three-records", spool);
        Seed(corpus, "spool", "torn-last", spool[..^9]);
        var corrupt = (byte[])spool.Clone();
        corrupt[SpoolRecordHeader.Size + 10] ^= 0x40;
        Seed(corpus, "spool", "corrupt-first", corrupt);

        Seed(corpus, "proc", "typical", Join(
            "cpu  1 2 3 4\nbtime 1764000000\nprocesses 99\n",
            "1 (curl) S 0 1 1 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 12345 1000000 100 18446744073709551615\n",
            "Name:\tcurl\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\n",
            "curl\0-s\0http://198.18.0.1/\0",
            "0::/user.slice/user-1000.slice/session-1.scope\n",
            "Name:\tfleetnet-agent\nCapEff:\t000001ffffffffff\n"));
        Seed(corpus, "proc", "comm-with-parens", Join(
            "btime 1\n",
            "1 (a) b) (c) R 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 99 0\n",
            "Uid:\n", "", "0::\n", "CapEff:\tzz\n"));

        Seed(corpus, "sysfs", "typical", Join(
            "2\n", "1000\n", "1000\n", "500\n", "10\n", "5\n", "0\n", "0\n", "0\n", "0\n",
            "2\n", "1000\n", "2000\n", "900\n", "20\n", "9\n", "1\n", "0\n", "0\n", "0\n"));
        Seed(corpus, "sysfs", "wrap-32bit", Join(
            "3\n", "-1\n", "4294966296\n", "10\n", "1\n", "1\n", "0\n", "0\n", "0\n", "0\n",
            "3\n", "-1\n", "500\n", "20\n", "2\n", "2\n", "0\n", "0\n", "0\n", "0\n"));
        Seed(corpus, "sysfs", "garbled", Join("x", "", "18446744073709551616\n", "-5\n", " 7\n"));
    }

    private static byte[] Join(params string[] parts)
    {
        var output = new MemoryStream();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                output.WriteByte(0xFF);
            }

            output.Write(Encoding.UTF8.GetBytes(parts[i]));
        }

        return output.ToArray();
    }

    private static void Seed(string corpus, string target, string name, byte[] data)
    {
        var directory = Path.Combine(corpus, target);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "seed-" + name), data);
    }
}
