using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FleetNet.Hub.Tls;

/// <summary>
/// The hub CA's fingerprint in an enrollment token, <c>fne_&lt;random&gt;.&lt;base64url SHA-256 of the CA's DER&gt;</c>,
/// so an agent given only the token can check the CA it fetches (Enrollment.GetCa) before trusting it.
/// The hub keys the token by the part before the dot.
/// </summary>
internal static class CaPin
{
    public static string Of(X509Certificate2 ca) =>
        Convert.ToBase64String(SHA256.HashData(ca.RawData)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The token with the CA's pin appended, or the token as it is when there is no CA.</summary>
    public static string Append(string token, X509Certificate2? ca) => ca is null ? token : $"{token}.{Of(ca)}";
}
