namespace FleetNet.Agent.Tests.Conntrack;

/// <summary>
/// ctnetlink dumps captured on kernel 6.18 (IPCTNL_MSG_CT_GET, NLM_F_DUMP, one recv buffer each):
/// <c>ct-dump-nat.bin</c>: a TCP flow 198.18.20.2 → 198.18.20.1:8080 DNAT'd to :9090 (5000 bytes up,
/// 3000 down) and a UDP flow to :5353 DNAT'd to :5454, nf_conntrack_acct on, then NLMSG_DONE;
/// <c>ct-dump-noacct.bin</c>: one UDP flow created with accounting off.
/// </summary>
internal static class NetlinkFixtures
{
    public static byte[] NatDump { get; } = Read("ct-dump-nat.bin");

    public static byte[] NoAccountingDump { get; } = Read("ct-dump-noacct.bin");

    private static byte[] Read(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "netlink", name));
}
