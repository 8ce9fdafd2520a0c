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

    /// <summary>
    /// The credential of an <c>authorization: Bearer X</c> header, of <c>authorization: Basic</c> with X as
    /// the password (any user name: how a browser sends it), or of an <c>x-api-key: X</c> header; null when
    /// there is none (a Basic value that is not base64 of <c>user:password</c> counts as none).
    /// </summary>
    public static string? FromHeaders(string? authorization, string? apiKey)
    {
        if (authorization is { Length: > 7 } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return a[7..].Trim();
        }

        if (authorization is { Length: > 6 } b && b.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)
            && BasicPassword(b.AsSpan(6).Trim()) is { Length: > 0 } password)
        {
            return password;
        }

        return string.IsNullOrWhiteSpace(apiKey) ? null : apiKey.Trim();
    }

    private static string? BasicPassword(ReadOnlySpan<char> encoded)
    {
        // Keys are at most 200 characters (longer ones are refused anyway); a user name is allowed beside one.
        Span<byte> bytes = stackalloc byte[1024];
        if (encoded.Length > 1360 || !Convert.TryFromBase64Chars(encoded, bytes, out var length))
        {
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes[..length]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : text[(colon + 1)..].Trim();
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
