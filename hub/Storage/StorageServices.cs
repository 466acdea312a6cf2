using Microsoft.Extensions.Options;
using Npgsql;

namespace SupplyChain.Hub.Storage;

internal static class StorageServices
{
    /// <summary>The "Storage" options and, for PostgreSQL, one data source whose schema is migrated when first used.</summary>
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            var dataSource = NpgsqlDataSource.Create(options.ConnectionString ?? throw new InvalidOperationException("Storage:ConnectionString is not set."));
            PostgresSchema.Migrate(dataSource);
            return dataSource;
        });
        return builder;
    }

    public static bool UsesPostgres(IServiceProvider services) =>
        services.GetRequiredService<IOptions<StorageOptions>>().Value.Backend == StorageBackend.Postgres;
}
