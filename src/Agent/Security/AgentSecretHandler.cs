using FleetNet.Protocol.V1;
using Grpc.Net.Client;

namespace FleetNet.Agent.Security;

/// <summary>
/// Adds <c>authorization: Bearer &lt;secret&gt;</c> to every call to the hub. The secret is read from the
/// credentials file, or obtained once by trading the enrollment token (Enrollment.Enroll) and then
/// written there with mode 0600, so a restarted agent never needs the token again. A failed enrollment
/// fails the call; the hub client backs off and tries again.
/// </summary>
internal sealed class AgentSecretHandler(AgentSecuritySettings settings, string hubUrl, HubTrust trust) : DelegatingHandler
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _secret;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new("Bearer", _secret ?? await GetSecretAsync(cancellationToken).ConfigureAwait(false));
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> GetSecretAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_secret is not null)
            {
                return _secret;
            }

            if (File.Exists(settings.CredentialsFile))
            {
                return _secret = (await File.ReadAllTextAsync(settings.CredentialsFile, cancellationToken).ConfigureAwait(false)).Trim();
            }

            var secret = await EnrollAsync(cancellationToken).ConfigureAwait(false);
            Store(secret);
            return _secret = secret;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> EnrollAsync(CancellationToken cancellationToken)
    {
        if (trust.Ca is null && settings.CaPin is { } pin && hubUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            trust.Ca = await HubCaPin.LearnAsync(hubUrl, pin, settings.StoredCaFile, cancellationToken).ConfigureAwait(false);
        }

        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        AgentCredentials.TrustCa(handler, trust);

        using var channel = GrpcChannel.ForAddress(hubUrl, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        var response = await new Enrollment.EnrollmentClient(channel).EnrollAsync(
            new EnrollRequest { Token = settings.EnrollmentToken ?? "", HostName = settings.HostName },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Secret;
    }

    // 0600: the secret is the agent's identity.
    private void Store(string secret) => StoreFile(settings.CredentialsFile, secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <summary>Writes a file through a temporary one and a rename, fsynced, with the given mode.</summary>
    internal static void StoreFile(string path, string content, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using (var file = new FileStream(temporary, options))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(content));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
