using System.Globalization;
using FleetNet.Hub.Storage;

namespace FleetNet.Hub.Security;

/// <summary>
/// One-shot commands of <c>fleetnet-hub</c> that run against the configured database and exit, instead
/// of serving: the bootstrap of the first admin API key, and enrollment tokens without a key at hand.
/// <code>fleetnet-hub create-api-key --role admin [--name NAME]</code>
/// <code>fleetnet-hub create-enrollment-token [--uses N] [--valid-hours H]</code>
/// <code>fleetnet-hub print-ca</code> (the CA agents and the CLI trust; no database needed)
/// </summary>
internal static class HubCommands
{
    /// <summary>Whether the command line names a one-shot command (its stdout then carries only the result).</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "create-api-key" or "create-enrollment-token" or "print-ca";

    /// <summary>The exit code of the command named on the command line, or null when the hub should serve.</summary>
    public static async Task<int?> TryRunAsync(WebApplication app, string[] args)
    {
        if (!IsCommand(args))
        {
            return null;
        }

        if (args[0] == "print-ca")
        {
            return await Tls.PrintCaCommand.RunAsync(app.Services.GetRequiredService<Tls.ServerCertificates>());
        }

        string? Option(string name)
        {
            var i = Array.IndexOf(args, name);
            return i > 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        foreach (var hosted in app.Services.GetServices<IHostedService>())
        {
            if (hosted is SchemaMigrator migrator)
            {
                await migrator.StartAsync(CancellationToken.None);
            }
        }

        if (args[0] == "create-api-key")
        {
            if (!ApiKeyStore.TryParseRole(Option("--role"), out var role))
            {
                await Console.Error.WriteLineAsync("fleetnet-hub: create-api-key needs --role read or --role admin");
                return 2;
            }

            var (id, key) = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(role, Option("--name") ?? "", CancellationToken.None);
            Console.WriteLine(key);
            await Console.Error.WriteLineAsync($"fleetnet-hub: API key {id} ({Option("--role")}) created; it is shown only this once");
            return 0;
        }

        var uses = int.TryParse(Option("--uses") ?? "1", NumberStyles.None, CultureInfo.InvariantCulture, out var u) && u > 0 ? u : -1;
        var hours = double.TryParse(Option("--valid-hours") ?? "24", NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && h > 0 ? h : -1;
        if (uses < 0 || hours < 0)
        {
            await Console.Error.WriteLineAsync("fleetnet-hub: --uses and --valid-hours must be positive numbers");
            return 2;
        }

        var (_, token, expires) = await app.Services.GetRequiredService<AgentIdentityStore>().CreateTokenAsync(uses, TimeSpan.FromHours(hours), "", CancellationToken.None);
        Console.WriteLine(Tls.CaPin.Append(token, app.Services.GetRequiredService<Tls.ServerCertificates>().Ca()));
        await Console.Error.WriteLineAsync($"fleetnet-hub: enrollment token for {uses} agent(s), valid until {expires:u}");
        return 0;
    }
}
