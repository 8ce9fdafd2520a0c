namespace FleetNet.Hub.Tests.Storage;

/// <summary>All database tests share one server and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
