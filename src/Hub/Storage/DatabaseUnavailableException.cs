using Npgsql;

namespace FleetNet.Hub.Storage;

/// <summary>The database could not be reached at start-up; the message is one line for the operator.</summary>
internal sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner)
{
    public static DatabaseUnavailableException From(NpgsqlDataSource dataSource, Exception e)
    {
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var reason = e.InnerException?.Message ?? e.Message;
        return new DatabaseUnavailableException(
            $"cannot reach PostgreSQL at {builder.Host}:{builder.Port} (database '{builder.Database}', user '{builder.Username}'): {reason}. "
            + "Set Storage:ConnectionString (env FLEETNET_Storage__ConnectionString) or start the server.",
            e);
    }
}
