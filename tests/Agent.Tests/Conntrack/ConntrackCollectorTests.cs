using FleetNet.Agent.Conntrack;
using FleetNet.Agent.Pipeline;
using FleetNet.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FleetNet.Agent.Tests.Conntrack;

public sealed class ConntrackCollectorTests : IDisposable
{
    private readonly string _proc = Directory.CreateTempSubdirectory("fleetnet-ct-").FullName;

    public void Dispose() => Directory.Delete(_proc, recursive: true);

    [Fact]
    public void Collect_ModuleAbsent_NotAvailableWithReasonInBatch()
    {
        using var collector = Create();

        var snapshot = collector.Collect();

        Assert.False(snapshot.Available);
        Assert.Contains("nf_conntrack is not loaded", snapshot.Reason);
        var batch = Batch.Parser.ParseFrom(new BatchBuilder(new AgentEpoch(1)).Encode(0, 1000, [], [], [], new Drops(), snapshot));
        Assert.False(batch.ConntrackTable.Available);
        Assert.Contains("not loaded", batch.Strings[(int)batch.ConntrackTable.Reason]);
        Assert.Empty(batch.ConntrackFlows);
    }

    [Fact]
    public void Collect_Disabled_NotAvailableSaysSo()
    {
        using var collector = Create(enabled: false);

        Assert.Contains("disabled", collector.Collect().Reason);
    }

    [Fact]
    public void Collect_EnableAccountingConfigured_WritesOneToNfConntrackAcct()
    {
        var netfilter = Directory.CreateDirectory(Path.Combine(_proc, "sys", "net", "netfilter")).FullName;
        File.WriteAllText(Path.Combine(netfilter, "nf_conntrack_count"), "3\n");
        File.WriteAllText(Path.Combine(netfilter, "nf_conntrack_max"), "262144\n");
        File.WriteAllText(Path.Combine(netfilter, "nf_conntrack_acct"), "0\n");
        using var collector = Create(accounting: true);
        collector.UseSocketFactory(static () => null); // no netlink: the table files alone are under test

        var snapshot = collector.Collect();

        Assert.Equal("1", File.ReadAllText(Path.Combine(netfilter, "nf_conntrack_acct")));
        Assert.False(snapshot.Available);
        Assert.Contains("NETLINK_NETFILTER", snapshot.Reason);
    }

    private ConntrackCollector Create(bool enabled = true, bool accounting = false) =>
        new(Options.Create(new AgentOptions { ProcRoot = _proc, ConntrackEnabled = enabled, ConntrackEnableAccounting = accounting }),
            NullLogger<ConntrackCollector>.Instance);
}
