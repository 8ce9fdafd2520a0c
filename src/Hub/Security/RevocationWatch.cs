using Npgsql;

namespace FleetNet.Hub.Security;

/// <summary>
/// Re-checks an open stream's identity every <see cref="AgentAuthenticator.RevocationCheckInterval"/>
/// and cancels the stream when it was revoked, so revocation takes effect even on a stream that never
/// reconnects.
/// </summary>
internal sealed class RevocationWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stream;
    private readonly Task _watch;

    public RevocationWatch(AgentAuthenticator authenticator, AgentIdentity? identity, TimeProvider time, CancellationToken callToken)
    {
        _stream = CancellationTokenSource.CreateLinkedTokenSource(callToken);
        _watch = identity is null ? Task.CompletedTask : WatchAsync(authenticator, identity.Id, time);
    }

    /// <summary>Cancelled when the call ends or the identity is revoked.</summary>
    public CancellationToken Token => _stream.Token;

    public bool Revoked { get; private set; }

    private async Task WatchAsync(AgentAuthenticator authenticator, long identityId, TimeProvider time)
    {
        try
        {
            while (true)
            {
                await Task.Delay(authenticator.RevocationCheckInterval, time, _stream.Token);
                try
                {
                    if (await authenticator.IsRevokedAsync(identityId, _stream.Token))
                    {
                        Revoked = true;
                        await _stream.CancelAsync();
                        return;
                    }
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    // The database is away; the stream itself will fail on its next write. Check again later.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.CancelAsync();
        await _watch;
        _stream.Dispose();
    }
}
