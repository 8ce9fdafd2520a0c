namespace FleetNet.Hub.Storage;

/// <summary>One forward-only schema change; applied once, in version order, inside a transaction.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
