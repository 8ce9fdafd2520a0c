using System.Reflection;

namespace FleetNet.Agent.Hosting;

/// <summary>Who this agent is, as reported in Hello.</summary>
internal sealed record HostIdentity(string HostName, string MachineId, string BootId, string Kernel, string AgentVersion)
{
    /// <summary>The agent's informational version (e.g. "1.2.0+3f2c1ab"), "0.0.0" when unset.</summary>
    public static string Version { get; } =
        typeof(HostIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "0.0.0";

    /// <summary>
    /// Reads the identity from <see cref="AgentOptions.ProcRoot"/> and <paramref name="etcRoot"/>
    /// (tests point both at fixture trees). Missing files give empty strings; the hub decides what it needs.
    /// </summary>
    public static HostIdentity Read(AgentOptions options, string etcRoot = "/etc")
    {
        var kernel = Path.Combine(options.ProcRoot, "sys", "kernel");
        var hostName = options.HostName.Length > 0
            ? options.HostName
            : ReadLine(Path.Combine(kernel, "hostname"));
        if (hostName.Length == 0)
        {
            hostName = Environment.MachineName;
        }

        return new HostIdentity(
            hostName,
            ReadLine(Path.Combine(etcRoot, "machine-id")),
            ReadLine(Path.Combine(kernel, "random", "boot_id")),
            ReadLine(Path.Combine(kernel, "osrelease")),
            Version);
    }

    private static string ReadLine(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
