using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Devices;

/// <summary>
/// The device registry and the log of a stopped hub's data directory, opened for the <c>devices</c> commands: the
/// stored log is checked (<see cref="LogStartupCheck"/>) and decisions are sequenced into it; the running hub integrates
/// them into the tree and signs them into a checkpoint when it next starts.
/// </summary>
internal sealed class OfflineDevices : IAsyncDisposable
{
    private readonly LiteDbLogStore _store;
    private readonly LogSequencer _sequencer;

    private OfflineDevices(LiteDbDeviceRegistry registry, LiteDbLogStore store, LogSequencer sequencer, TimeProvider time)
    {
        Registry = registry;
        _store = store;
        _sequencer = sequencer;
        Enrolment = new DeviceEnrolment(registry, sequencer, time);
    }

    public LiteDbDeviceRegistry Registry { get; }

    public DeviceEnrolment Enrolment { get; }

    /// <summary>Opens both stores; throws <see cref="IOException"/> when the hub (or another command) holds them.</summary>
    public static async Task<OfflineDevices> OpenAsync(string dataDirectory, string origin, TimeProvider time, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var options = Options.Create(new LogOptions { Origin = origin });
        var registry = new LiteDbDeviceRegistry(Path.Combine(dataDirectory, LiteDbDeviceRegistry.FileName));
        LiteDbLogStore? store = null;
        try
        {
            store = new LiteDbLogStore(Path.Combine(dataDirectory, "log.db"));
            var key = HubSigningKey.LoadOrCreate(dataDirectory, origin);
            await new LogStartupCheck(store, new LogHead(), key, options, NullLogger<LogStartupCheck>.Instance).StartAsync(cancellationToken);
            var sequencer = new LogSequencer(store, options, time, NullLogger<LogSequencer>.Instance);
            await sequencer.StartAsync(cancellationToken);
            return new OfflineDevices(registry, store, sequencer, time);
        }
        catch
        {
            store?.Dispose();
            registry.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Enrolment.Dispose();
        await _sequencer.StopAsync(CancellationToken.None);
        _sequencer.Dispose();
        _store.Dispose();
        Registry.Dispose();
    }
}
