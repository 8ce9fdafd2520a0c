using System.Globalization;
using FleetNet.Cli.Output;
using FleetNet.Protocol.V1;
using Google.Protobuf;

namespace FleetNet.Cli.Commands;

/// <summary>Administration over gRPC (API key with role admin): enrollment tokens, agent identities, API keys.</summary>
internal static class AdminCommands
{
    public static async Task<int> CreateEnrollmentTokenAsync(CliArguments args, CancellationToken cancellationToken)
    {
        if (!TryInt(args, "--uses", 1, out var uses) || !TryInt(args, "--valid-hours", 24, out var hours))
        {
            return Usage.Fail("--uses and --valid-hours must be whole numbers");
        }

        using var channel = HubConnection.Open(args);
        var response = await new Admin.AdminClient(channel).CreateEnrollmentTokenAsync(
            new CreateEnrollmentTokenRequest { Uses = uses, ValidSeconds = hours * 3600L, Note = args.Get("--note") ?? "" }, cancellationToken: cancellationToken);
        Console.WriteLine(response.Token);
        Console.Error.WriteLine($"fleetnet: token for {response.Uses} agent(s), valid until {DateTimeOffset.FromUnixTimeMilliseconds(response.ExpiresUnixMs):u}");
        return 0;
    }

    public static async Task<int> RevokeAgentAsync(CliArguments args, CancellationToken cancellationToken)
    {
        _ = TryInt(args, "--id", 0, out var id);
        var host = args.Get("--host") ?? "";
        if (id == 0 && host.Length == 0)
        {
            return Usage.Fail("revoke-agent needs --id N or --host NAME");
        }

        using var channel = HubConnection.Open(args);
        var response = await new Admin.AdminClient(channel).RevokeAgentAsync(new RevokeAgentRequest { AgentId = id, HostName = host }, cancellationToken: cancellationToken);
        Console.WriteLine($"revoked {response.Revoked} identit{(response.Revoked == 1 ? "y" : "ies")}");
        return response.Revoked > 0 ? 0 : 1;
    }

    public static async Task<int> IdentitiesAsync(CliArguments args, CancellationToken cancellationToken)
    {
        using var channel = HubConnection.Open(args);
        var response = await new Admin.AdminClient(channel).ListAgentIdentitiesAsync(new ListAgentIdentitiesRequest(), cancellationToken: cancellationToken);
        if (args.Has("--json"))
        {
            Console.WriteLine(JsonFormatter.Default.Format(response));
            return 0;
        }

        var table = new Table(("ID", true), ("HOST", false), ("ENROLLED", false), ("REVOKED", false));
        foreach (var i in response.Identities)
        {
            table.Add(i.Id.ToString(CultureInfo.InvariantCulture), i.HostName, Time(i.EnrolledUnixMs), i.RevokedUnixMs == 0 ? "" : Time(i.RevokedUnixMs));
        }

        Console.Write(table.Render(int.MaxValue));
        return 0;
    }

    public static async Task<int> CreateApiKeyAsync(CliArguments args, CancellationToken cancellationToken)
    {
        using var channel = HubConnection.Open(args);
        var response = await new Admin.AdminClient(channel).CreateApiKeyAsync(
            new CreateApiKeyRequest { Role = args.Get("--role") ?? "read", Name = args.Get("--name") ?? "" }, cancellationToken: cancellationToken);
        Console.WriteLine(response.Key);
        Console.Error.WriteLine($"fleetnet: API key {response.Id} ({response.Role}) created; it is shown only this once");
        return 0;
    }

    public static async Task<int> RevokeApiKeyAsync(CliArguments args, CancellationToken cancellationToken)
    {
        if (!TryInt(args, "--id", 0, out var id) || id == 0)
        {
            return Usage.Fail("revoke-api-key needs --id N");
        }

        using var channel = HubConnection.Open(args);
        var response = await new Admin.AdminClient(channel).RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = id }, cancellationToken: cancellationToken);
        Console.WriteLine($"revoked {response.Revoked} key(s)");
        return response.Revoked > 0 ? 0 : 1;
    }

    private static bool TryInt(CliArguments args, string name, int fallback, out int value)
    {
        value = fallback;
        return args.Get(name) is not { } text || int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static string Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
