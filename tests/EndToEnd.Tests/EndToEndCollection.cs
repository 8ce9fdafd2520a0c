using FleetNet.Hub.Tests.Storage;

namespace FleetNet.EndToEnd.Tests;

/// <summary>End-to-end tests share one PostgreSQL and run one at a time (they measure real traffic).</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "end-to-end";
}
