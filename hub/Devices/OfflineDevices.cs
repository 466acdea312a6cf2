using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Storage;

namespace SupplyChain.Hub.Devices;

/// <summary>
/// The device registry and the log of a stopped hub (its LiteDB files, or its PostgreSQL database with the hub key still
/// in the data directory), opened for the <c>devices</c> commands: the
/// stored log is checked (<see cref="LogStartupCheck"/>) and decisions are sequenced into it; the running hub integrates
/// them into the tree and signs them into a checkpoint when it next starts.
/// </summary>
internal sealed class OfflineDevices : IAsyncDisposable
{
    private readonly ILogStore _store;
    private readonly LogSequencer _sequencer;
    private readonly NpgsqlDataSource? _dataSource;

    private OfflineDevices(IDeviceRegistry registry, ILogStore store, LogSequencer sequencer, NpgsqlDataSource? dataSource, TimeProvider time)
    {
        Registry = registry;
        _store = store;
        _sequencer = sequencer;
        _dataSource = dataSource;
        Enrolment = new DeviceEnrolment(registry, sequencer, time);
    }

    public IDeviceRegistry Registry { get; }

    public DeviceEnrolment Enrolment { get; }

    /// <summary>
    /// Opens both stores (in PostgreSQL when <paramref name="postgres"/> is given); throws <see cref="IOException"/> when
    /// the hub (or another command) holds the LiteDB files, <see cref="NpgsqlException"/> when the database is unreachable.
    /// </summary>
    public static async Task<OfflineDevices> OpenAsync(string dataDirectory, string origin, string? postgres, TimeProvider time, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = Options.Create(new LogOptions { Origin = origin });
        var dataSource = postgres is null ? null : PostgresOption.Open(postgres);
        IDeviceRegistry? registry = null;
        ILogStore? store = null;
        try
        {
            registry = dataSource is null
                ? new LiteDbDeviceRegistry(Path.Combine(dataDirectory, LiteDbDeviceRegistry.FileName))
                : new PostgresDeviceRegistry(dataSource);
            store = dataSource is null ? new LiteDbLogStore(Path.Combine(dataDirectory, "log.db")) : new PostgresLogStore(dataSource);
            var key = HubSigningKey.LoadOrCreate(dataDirectory, origin);
            await new LogStartupCheck(store, new LogHead(), key, options, NullLogger<LogStartupCheck>.Instance).StartAsync(cancellationToken);
            var sequencer = new LogSequencer(store, options, time, NullLogger<LogSequencer>.Instance);
            await sequencer.StartAsync(cancellationToken);
            return new OfflineDevices(registry, store, sequencer, dataSource, time);
        }
        catch
        {
            store?.Dispose();
            (registry as IDisposable)?.Dispose();
            dataSource?.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Enrolment.Dispose();
        await _sequencer.StopAsync(CancellationToken.None);
        _sequencer.Dispose();
        _store.Dispose();
        (Registry as IDisposable)?.Dispose();
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
