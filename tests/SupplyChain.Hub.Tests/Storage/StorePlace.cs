using Npgsql;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Ingest;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Storage;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Tests.Storage;

/// <summary>The storage backends every store test runs against (one parameterized suite, not two copies).</summary>
public enum Backend
{
    LiteDb,
    Postgres,
}

/// <summary>
/// Where one test's stores live: a temporary directory (LiteDB files, and the hub key for either backend) and, for
/// PostgreSQL, a new database in the test cluster. Each <c>Open…</c> is a fresh open, as a hub restart does; for
/// PostgreSQL that is a new data source whose first use migrates the schema.
/// </summary>
internal sealed class StorePlace : IAsyncDisposable
{
    private readonly List<NpgsqlDataSource> _dataSources = [];
    private readonly string? _connectionString;

    private StorePlace(Backend backend, string? connectionString)
    {
        Backend = backend;
        _connectionString = connectionString;
        Directory = System.IO.Directory.CreateTempSubdirectory("coldtrace-store-").FullName;
    }

    public Backend Backend { get; }

    /// <summary>The database's connection string (PostgreSQL only).</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("not a PostgreSQL place");

    public string Directory { get; }

    public static async Task<StorePlace> CreateAsync(Backend backend, PostgresCluster cluster) =>
        new(backend, backend == Backend.Postgres ? await cluster.NewDatabaseAsync() : null);

    /// <summary>A new data source on this place's database, schema migrated (PostgreSQL only).</summary>
    public NpgsqlDataSource OpenDataSource()
    {
        var dataSource = NpgsqlDataSource.Create(_connectionString ?? throw new InvalidOperationException("not a PostgreSQL place"));
        _dataSources.Add(dataSource);
        PostgresSchema.Migrate(dataSource);
        return dataSource;
    }

    public ILogStore OpenLog() => Backend == Backend.Postgres
        ? new PostgresLogStore(OpenDataSource())
        : new LiteDbLogStore(Path.Combine(Directory, "log.db"));

    /// <summary>The chain-head store; dispose it when it is disposable (LiteDB).</summary>
    public IChainHeadStore OpenChains() => Backend == Backend.Postgres
        ? new PostgresChainHeadStore(OpenDataSource())
        : new LiteDbChainHeadStore(Path.Combine(Directory, LiteDbChainHeadStore.FileName));

    /// <summary>The device registry; dispose it when it is disposable (LiteDB).</summary>
    public IDeviceRegistry OpenDevices() => Backend == Backend.Postgres
        ? new PostgresDeviceRegistry(OpenDataSource())
        : new LiteDbDeviceRegistry(Path.Combine(Directory, LiteDbDeviceRegistry.FileName));

    /// <summary>The user store; dispose it when it is disposable (LiteDB).</summary>
    public IUserStore OpenUsers() => Backend == Backend.Postgres
        ? new PostgresUserStore(OpenDataSource())
        : new LiteDbUserStore(Path.Combine(Directory, LiteDbUserStore.FileName));

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
