namespace FleetNet.Agent.Security;

/// <summary>
/// Where the agent's identity comes from, read from the environment (the agent's configuration file
/// does not carry secrets): an enrollment token to trade once, the file that keeps the identity, and
/// the hub's CA for https:// hubs with a certificate the hub generated itself.
/// </summary>
internal sealed record AgentSecuritySettings(string? EnrollmentToken, string CredentialsFile, string? HubCaFile, string HostName)
{
    /// <summary>Default place of the agent's secret (0600), in the systemd unit's StateDirectory, the only place it may write.</summary>
    public const string DefaultCredentialsFile = "/var/lib/fleetnet-agent/agent.secret";

    /// <summary>
    /// The SHA-256 (base64url) of the hub's CA that the hub appends to an enrollment token after a dot
    /// (<c>fne_&lt;random&gt;.&lt;pin&gt;</c>); null for a token without one.
    /// </summary>
    public string? CaPin => EnrollmentToken?.Split('.', 2) is [_, { Length: > 0 } pin] ? pin : null;

    /// <summary>Where the agent keeps the hub's CA it learned through the token's pin: beside its secret.</summary>
    public string StoredCaFile => Path.Combine(Path.GetDirectoryName(CredentialsFile) ?? ".", "hub-ca.pem");

    /// <summary>The hub's CA known at start: FLEETNET_HUBCA, else the one stored beside the secret; null when neither.</summary>
    public string? KnownCaFile => HubCaFile ?? (File.Exists(StoredCaFile) ? StoredCaFile : null);

    public static AgentSecuritySettings FromEnvironment() => new(
        NonEmpty(Environment.GetEnvironmentVariable("FLEETNET_ENROLLMENTTOKEN")),
        NonEmpty(Environment.GetEnvironmentVariable("FLEETNET_CREDENTIALSFILE")) ?? DefaultCredentialsFile,
        NonEmpty(Environment.GetEnvironmentVariable("FLEETNET_HUBCA")),
        NonEmpty(Environment.GetEnvironmentVariable("FLEETNET_HOSTNAME")) ?? KernelHostName());

    private static string KernelHostName()
    {
        try
        {
            var name = File.ReadAllText("/proc/sys/kernel/hostname").Trim();
            return name.Length > 0 ? name : Environment.MachineName;
        }
        catch (IOException)
        {
            return Environment.MachineName;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
