namespace FleetNet.Agent.Conntrack;

/// <summary>What one receive buffer of a ctnetlink dump held besides its entries.</summary>
internal struct CtNetlinkParseResult
{
    /// <summary>Netlink messages read.</summary>
    public int Messages;

    /// <summary>Messages skipped because they were malformed (the others are kept).</summary>
    public int Malformed;

    /// <summary>NLMSG_DONE or NLMSG_ERROR was reached: the dump is over.</summary>
    public bool Done;

    /// <summary>The errno of an NLMSG_ERROR, 0 for none.</summary>
    public int Error;

    /// <summary>The buffer ended inside a message.</summary>
    public bool Truncated;

    /// <summary>The kernel flagged the dump as interrupted (the table changed under it).</summary>
    public bool Interrupted;
}
