using System.Globalization;
using Npgsql;

namespace FleetNet.Hub.Security;

/// <summary>
/// Enrollment tokens and agent identities. A token is traded (once per allowed use, before it expires)
/// for a per-agent secret bound to one host name; the hub keeps only SHA-256 of tokens and secrets.
/// </summary>
internal sealed class AgentIdentityStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<(long Id, string Token, DateTimeOffset Expires)> CreateTokenAsync(int uses, TimeSpan lifetime, string note, CancellationToken cancellationToken)
    {
        var token = Secrets.New(Secrets.EnrollmentTokenPrefix);
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            INSERT INTO enrollment_tokens (token_hash, uses_left, expires_at, created_at, note) VALUES ($1, $2, $3, $4, $5) RETURNING id
            """);
        command.Parameters.Add(new() { Value = Secrets.Hash(token) });
        command.Parameters.Add(new() { Value = uses });
        command.Parameters.Add(new() { Value = now + lifetime });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = note });
        return ((long)(await command.ExecuteScalarAsync(cancellationToken))!, token, now + lifetime);
    }

    /// <summary>Spends one use of the token and creates an identity for the host; null when the token is unknown, used up or expired.</summary>
    public async Task<(long Id, string Secret)?> EnrollAsync(string token, string hostName, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long tokenId;
        await using (var spend = new NpgsqlCommand("""
            UPDATE enrollment_tokens SET uses_left = uses_left - 1
            WHERE token_hash = $1 AND uses_left > 0 AND expires_at > $2
            RETURNING id
            """, connection))
        {
            spend.Parameters.Add(new() { Value = Secrets.Hash(Secrets.EnrollmentTokenCore(token)) });
            spend.Parameters.Add(new() { Value = now });
            if (await spend.ExecuteScalarAsync(cancellationToken) is not long id)
            {
                return null;
            }

            tokenId = id;
        }

        // The secret names its identity, so authentication is one primary-key lookup plus a hash compare.
        long identityId;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO agent_identities (host_name, secret_hash, token_id, enrolled_at) VALUES ($1, '\x00', $2, $3) RETURNING id
            """, connection))
        {
            insert.Parameters.Add(new() { Value = hostName });
            insert.Parameters.Add(new() { Value = tokenId });
            insert.Parameters.Add(new() { Value = now });
            identityId = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }

        var secret = $"{Secrets.AgentSecretPrefix}{identityId.ToString(CultureInfo.InvariantCulture)}_{Secrets.New("")}";
        await using (var update = new NpgsqlCommand("UPDATE agent_identities SET secret_hash = $2 WHERE id = $1", connection))
        {
            update.Parameters.Add(new() { Value = identityId });
            update.Parameters.Add(new() { Value = Secrets.Hash(secret) });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (identityId, secret);
    }

    /// <summary>The identity a secret belongs to (revoked or not); null when the secret is not valid.</summary>
    public async Task<AgentIdentity?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        var parts = secret.Split('_', 3);
        if (parts.Length != 3 || parts[0] + "_" != Secrets.AgentSecretPrefix || secret.Length > 200
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        await using var command = dataSource.CreateCommand("SELECT id, host_name, enrolled_at, revoked_at FROM agent_identities WHERE id = $1 AND secret_hash = $2");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = Secrets.Hash(secret) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<bool> IsRevokedAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT revoked_at IS NOT NULL FROM agent_identities WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteScalarAsync(cancellationToken) is not false;
    }

    /// <summary>Revokes one identity (by id) or every identity of a host (by name).</summary>
    public async Task<int> RevokeAsync(long id, string hostName, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE agent_identities SET revoked_at = $3 WHERE revoked_at IS NULL AND (id = $1 OR ($2 <> '' AND host_name = $2))
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = hostName });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AgentIdentity>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id, host_name, enrolled_at, revoked_at FROM agent_identities ORDER BY host_name, id");
        var rows = new List<AgentIdentity>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    private static AgentIdentity Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
        reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3));
}
