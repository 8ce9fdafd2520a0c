namespace FleetNet.Hub.Storage;

/// <summary>Which retention setting a time table follows.</summary>
internal enum RetentionClass
{
    Raw,
    Minute,
    Hour,
    Day,
}
