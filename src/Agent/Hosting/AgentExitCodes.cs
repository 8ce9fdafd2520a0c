namespace FleetNet.Agent.Hosting;

/// <summary>The agent's process exit codes.</summary>
internal static class AgentExitCodes
{
    /// <summary>Ran and stopped cleanly, or printed help/version.</summary>
    public const int Ok = 0;

    /// <summary>Failed while running.</summary>
    public const int Failed = 1;

    /// <summary>Bad command line or configuration; nothing was started.</summary>
    public const int BadConfiguration = 2;
}
