using System.Security.Cryptography;
using System.Text;

namespace FleetNet.Hub.Security;

/// <summary>
/// Random credentials and their stored form. Keys carry 256 random bits, so a plain SHA-256 suffices:
/// a slow hash (bcrypt, Argon2) protects low-entropy passwords against guessing, which 2^256 already
/// rules out, and it would cost milliseconds of CPU on every request and every agent connection.
/// </summary>
internal static class Secrets
{
    public const string ApiKeyPrefix = "fnk_";
    public const string EnrollmentTokenPrefix = "fne_";
    public const string AgentSecretPrefix = "fna_";

    /// <summary>A prefix and 32 random bytes, base64url.</summary>
    public static string New(string prefix) => prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>An enrollment token without the CA pin the hub may have appended after a dot (see Tls/CaPin).</summary>
    public static string EnrollmentTokenCore(string token) => token.Split('.', 2)[0];

    /// <summary>The credential of an <c>authorization: Bearer X</c> (or <c>x-api-key: X</c>) header, or null.</summary>
    public static string? FromHeaders(string? authorization, string? apiKey)
    {
        if (authorization is { Length: > 7 } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return a[7..].Trim();
        }

        return string.IsNullOrWhiteSpace(apiKey) ? null : apiKey.Trim();
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
