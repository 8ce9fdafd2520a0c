using Npgsql;

namespace FleetNet.Hub.Security;

/// <summary>API keys, stored as SHA-256 of the key; the key itself is shown once when created.</summary>
internal sealed class ApiKeyStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public static bool TryParseRole(string? text, out ApiKeyRole role)
    {
        role = text switch { "read" => ApiKeyRole.Read, "admin" => ApiKeyRole.Admin, _ => ApiKeyRole.None };
        return role != ApiKeyRole.None;
    }

    public async Task<(long Id, string Key)> CreateAsync(ApiKeyRole role, string name, CancellationToken cancellationToken)
    {
        var key = Secrets.New(Secrets.ApiKeyPrefix);
        await using var command = dataSource.CreateCommand("INSERT INTO api_keys (key_hash, role, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id");
        command.Parameters.Add(new() { Value = Secrets.Hash(key) });
        command.Parameters.Add(new() { Value = role == ApiKeyRole.Admin ? "admin" : "read" });
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        return ((long)(await command.ExecuteScalarAsync(cancellationToken))!, key);
    }

    /// <summary>The role of a valid, unrevoked key; <see cref="ApiKeyRole.None"/> otherwise.</summary>
    public async Task<ApiKeyRole> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        if (!key.StartsWith(Secrets.ApiKeyPrefix, StringComparison.Ordinal) || key.Length > 200)
        {
            return ApiKeyRole.None;
        }

        await using var command = dataSource.CreateCommand("SELECT role FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new() { Value = Secrets.Hash(key) });
        return await command.ExecuteScalarAsync(cancellationToken) is string role && TryParseRole(role, out var parsed) ? parsed : ApiKeyRole.None;
    }

    public async Task<int> RevokeAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
