using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SupplyChain.Hub;
using SupplyChain.Hub.Broker;
using SupplyChain.Hub.Log;

namespace SupplyChain.IntegrationTests.Agent;

/// <summary>
/// The real hub in this process (Kestrel and the embedded broker on loopback, LiteDB in a temporary directory) that can
/// be stopped and started again on the same data and the same broker port, as an operator restarting it would.
/// </summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private readonly string[] _settings;
    private WebApplication? _app;

    private HubProcess(string dataDirectory, string[] settings)
    {
        DataDirectory = dataDirectory;
        _settings = settings;
    }

    public string DataDirectory { get; }

    /// <summary>The broker port, chosen free at the first start and kept across restarts.</summary>
    public int BrokerPort { get; private set; }

    public bool IsRunning => _app is not null;

    /// <summary>Starts a hub on a fresh data directory; <paramref name="settings"/> (<c>--Key=value</c>) apply at every start.</summary>
    public static async Task<HubProcess> StartAsync(params string[] settings)
    {
        var hub = new HubProcess(Directory.CreateTempSubdirectory("coldtrace-hub-").FullName, settings);
        await hub.StartAsync(brokerPort: 0);
        return hub;
    }

    public T Service<T>() where T : notnull =>
        (_app ?? throw new InvalidOperationException("The hub is stopped.")).Services.GetRequiredService<T>();

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public Task RestartAsync() => StartAsync(BrokerPort);

    /// <summary>Every device-event leaf in the log so far, in index order (the enrolment and other decisions skipped).</summary>
    public List<byte[]> DeviceEventLeaves()
    {
        var reader = Service<LogReader>();
        var leaves = new List<byte[]>();
        for (long start = 0; ; start += 256)
        {
            var entries = reader.Entries(start, 256);
            leaves.AddRange(entries.Where(e => e.Leaf[0] == (byte)LogLeafKind.DeviceEvent).Select(e => e.Leaf[1..]));
            if (entries.Count < 256)
            {
                return leaves;
            }
        }
    }

    /// <summary>The device events of <paramref name="deviceId"/> in the log, in index order, decoded with their event ids.</summary>
    public List<LoggedEvent> DeviceEvents(string deviceId) =>
        [.. DeviceEventLeaves().Select(LoggedEvent.Decode).Where(e => e.Event.Device.DeviceId == deviceId)];

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private async Task StartAsync(int brokerPort)
    {
        var app = HubHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--Hub:DataDirectory={DataDirectory}",
            "--Log:CheckpointPeriod=00:00:00.050",
            "--Logging:LogLevel:Default=Warning",
            $"--Broker:Port={brokerPort}",
            .. _settings,
        ]);
        await app.StartAsync();
        _app = app;
        BrokerPort = app.Services.GetRequiredService<EmbeddedBroker>().Port;
    }
}

/// <summary>A device event as the hub logged it: its event id (PROTOCOL.md §3.5) and the decoded event.</summary>
internal sealed record LoggedEvent(SupplyChain.Contracts.Signing.EventId Id, SupplyChain.Contracts.Events.CustodyEvent Event)
{
    public static LoggedEvent Decode(byte[] leafBody)
    {
        Assert.True(SupplyChain.Contracts.Signing.EnvelopeCodec.TryDecode(leafBody, out var envelope, out var envelopeError), envelopeError.ToString());
        Assert.True(SupplyChain.Contracts.Events.EventCodec.TryDecode(envelope!.Payload.Span, out var custody, out var eventError), eventError.ToString());
        return new LoggedEvent(envelope.EventId, custody!);
    }
}
