namespace FleetNet.FaultTests;

/// <summary>Scenarios share one PostgreSQL cluster and run one after another (they restart it and kill hubs).</summary>
[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "fault";
}
