using FleetNet.Cli;
using FleetNet.Cli.Commands;
using Grpc.Core;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

if (!CliArguments.TryParse(args, out var parsed, out var error))
{
    return Usage.Fail(error);
}

try
{
    return parsed.Command switch
    {
        "top" => await TopCommand.RunAsync(parsed, cancel.Token),
        "timeline" => await TimelineCommand.TimelineAsync(parsed, cancel.Token),
        "trend" => await TimelineCommand.TrendAsync(parsed, cancel.Token),
        "hosts" => await HostsCommand.RunAsync(parsed, cancel.Token),
        "agents" => await AgentsCommand.RunAsync(parsed, cancel.Token),
        "identities" => await AdminCommands.IdentitiesAsync(parsed, cancel.Token),
        "create-enrollment-token" => await AdminCommands.CreateEnrollmentTokenAsync(parsed, cancel.Token),
        "revoke-agent" => await AdminCommands.RevokeAgentAsync(parsed, cancel.Token),
        "create-api-key" => await AdminCommands.CreateApiKeyAsync(parsed, cancel.Token),
        "revoke-api-key" => await AdminCommands.RevokeApiKeyAsync(parsed, cancel.Token),
        "help" => Help(),
        _ => Usage.Fail($"unknown command '{parsed.Command}'"),
    };
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    return 0;
}
catch (RpcException e)
{
    Console.Error.WriteLine(e.StatusCode is StatusCode.InvalidArgument or StatusCode.Unauthenticated or StatusCode.PermissionDenied
        ? $"fleetnet: {e.Status.Detail}"
        : $"fleetnet: the hub at {parsed.Hub} did not answer ({e.StatusCode}): {e.Status.Detail}");
    return e.StatusCode == StatusCode.InvalidArgument ? 2 : 1;
}

static int Help()
{
    Console.WriteLine(Usage.Text);
    return 0;
}
