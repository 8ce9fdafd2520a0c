namespace FleetNet.Hub.Security;

/// <summary>What an API key may do: read queries, or also administer (tokens, identities, keys).</summary>
internal enum ApiKeyRole
{
    None = 0,
    Read = 1,
    Admin = 2,
}
