using System.CommandLine;
using Npgsql;

namespace SupplyChain.Hub.Storage;

/// <summary>The command-line tools' <c>--postgres</c> option: work on a PostgreSQL hub's database instead of its LiteDB files.</summary>
internal static class PostgresOption
{
    public static Option<string?> Create() => new("--postgres")
    {
        Description = "Npgsql connection string of a hub on PostgreSQL (its Storage:ConnectionString); without it, the LiteDB files in --data.",
    };

    /// <summary>A data source on the database, its schema migrated; disposes it again if that fails.</summary>
    public static NpgsqlDataSource Open(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            PostgresSchema.Migrate(dataSource);
            return dataSource;
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }
    }
}
