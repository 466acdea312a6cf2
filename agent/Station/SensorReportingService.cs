using System.Device.I2c;
using Microsoft.Extensions.Options;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Sensors;
using SupplyChain.Agent.Sensors.Ds18b20;
using SupplyChain.Agent.Sensors.Sampling;
using SupplyChain.Agent.Sensors.Sht3x;
using SupplyChain.Agent.Sensors.Sht4x;
using SupplyChain.Agent.Sensors.Simulated;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Agent.Station;

/// <summary>
/// The sensors hosted service: runs <see cref="SensorSampler"/> over the configured sensors and queues a sensor report per
/// sensor and window, and an alarm when a reading leaves the range, in the outbox (sensor kind, DESIGN.md §2 "sensor
/// report"). The monitored asset is the fridge GIAI, or the container SSCC at a transport station.
/// </summary>
internal sealed partial class SensorReportingService(
    IOptions<SensorsOptions> sensors,
    IOptions<SamplerOptions> sampling,
    IOptions<StationOptions> station,
    EventOutbox outbox,
    TimeProvider timeProvider,
    ILogger<SensorReportingService> logger,
    Status.SensorFaultCounts? faults = null,
    ClockSync? clock = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var devices = CreateSensors(sensors.Value, timeProvider);
        if (devices.Count == 0)
        {
            return;
        }

        try
        {
            var site = Identifiers.Party(Parse<Gln>(station.Value.SiteGln, Gln.TryParse));
            var asset = AssetOf(station.Value);
            var options = sampling.Value;
            var sampler = new SensorSampler(devices, options, timeProvider);
            var synced = new WindowSync(clock);
            await foreach (var item in sampler.RunAsync(stoppingToken).ConfigureAwait(false))
            {
                faults?.Record(item);
                var throughout = synced.Of(item);
                if (ToDraft(item, site, asset, options) is { } draft)
                {
                    outbox.AppendSensor(draft, throughout);
                }
            }
        }
        finally
        {
            foreach (var device in devices.OfType<IDisposable>())
            {
                device.Dispose();
            }
        }
    }

    /// <summary>The event a sampler output becomes, or null (a window without one good reading, an alarm clearing).</summary>
    internal SensorDraft? ToDraft(SamplerEvent item, string site, string asset, SamplerOptions options)
    {
        switch (item)
        {
            case SensorWindowReport { Samples.Count: > 0 } report:
                return SensorDraft.Report(
                    report.WindowEnd <= timeProvider.GetUtcNow() ? report.WindowEnd : timeProvider.GetUtcNow(),
                    site,
                    asset,
                    [.. report.Samples.Select(s => new TemperatureSample(s.Timestamp, Celsius(s.Celsius)))]);
            case SensorWindowReport empty:
                LogNoReadings(logger, empty.SensorId, empty.FaultCount);
                return null;
            case RangeAlarm { Kind: not RangeAlarmKind.BackInRange } alarm:
                return SensorDraft.Alarm(
                    alarm.Timestamp,
                    site,
                    asset,
                    new TemperatureSample(alarm.Timestamp, Celsius(alarm.Celsius)),
                    Celsius(options.MinCelsius),
                    Celsius(options.MaxCelsius));
            case RangeAlarm cleared:
                LogBackInRange(logger, cleared.SensorId, cleared.Celsius);
                return null;
            default:
                return null;
        }
    }

    internal static string AssetOf(StationOptions options) =>
        options.GetRole() == StationRole.Transport || string.IsNullOrEmpty(options.AssetGiai)
            ? Identifiers.Container(Parse<Sscc>(options.ContainerSscc, Sscc.TryParse))
            : Identifiers.Asset(Parse<Giai>(options.AssetGiai, Giai.TryParse));

    private static List<ITemperatureSensor> CreateSensors(SensorsOptions options, TimeProvider timeProvider)
    {
        var created = new List<ITemperatureSensor>();
        for (var i = 0; i < options.Devices.Count; i++)
        {
            var device = options.Devices[i];
            switch (device.Type)
            {
                case "simulated":
                    var simulated = new SimulatedSensorOptions { BaseCelsius = device.BaseCelsius, Seed = i + 1 };
                    foreach (var excursion in device.Excursions)
                    {
                        var start = excursion.Start ?? timeProvider.GetUtcNow() + excursion.StartAfter.GetValueOrDefault();
                        simulated.Excursions.Add(new SimulatedExcursion(start, excursion.Duration, excursion.PeakCelsius));
                    }

                    created.Add(new SimulatedSensor(device.Id ?? $"sim-{i}", simulated, timeProvider));
                    break;
                case "ds18b20":
                    var ids = string.IsNullOrEmpty(device.Id) ? Ds18b20Discovery.FindIds() : [device.Id];
                    created.AddRange(ids.Select(id => new Ds18b20Sensor(Ds18b20Sensor.DefaultDevicesRoot, id, timeProvider)));
                    break;
                case "sht3x":
                    created.Add(new Sht3xSensor(I2cDevice.Create(new I2cConnectionSettings(device.I2cBus, device.I2cAddress ?? Sht3xSensor.DefaultI2cAddress)), timeProvider));
                    break;
                case "sht4x":
                    created.Add(new Sht4xSensor(I2cDevice.Create(new I2cConnectionSettings(device.I2cBus, device.I2cAddress ?? Sht4xSensor.DefaultI2cAddress)), timeProvider));
                    break;
                default:
                    throw new InvalidOperationException($"Sensors:Devices:{i}:Type '{device.Type}' was not validated.");
            }
        }

        return created;
    }

    // Three decimals: below every sensor's resolution (DS18B20 0.0625 °C, SHT 0.01 °C), so no information is lost.
    private static decimal Celsius(double value) => Math.Round((decimal)value, 3, MidpointRounding.ToEven);

    private delegate bool TryParser<T>(ReadOnlySpan<char> text, out T value, out string reason);

    private static T Parse<T>(string? text, TryParser<T> parse) =>
        parse(text, out var value, out var reason) ? value : throw new InvalidOperationException($"'{text}' was not validated: {reason}");

    /// <summary>
    /// Whether the clock was synchronised for all of a report's window (<c>ct:clockSynced</c>, PROTOCOL.md §2.2: "when the
    /// event was made"; a report is made of its samples). A window opened on an unsynchronised clock, such as the one the
    /// NTP step itself closes, holds readings with unsynchronised times even when the clock is synchronised at its end.
    /// The reports of one window come one after another with the same start, and the next window opens as they close.
    /// </summary>
    private sealed class WindowSync(ClockSync? clock)
    {
        private bool _atOpen = clock?.IsSynchronized() ?? true;
        private DateTimeOffset? _closing;
        private bool _closingSynced;

        public bool Of(SamplerEvent item)
        {
            var now = clock?.IsSynchronized() ?? true;
            if (item is not SensorWindowReport report)
            {
                _closing = null;
                return now;
            }

            if (_closing != report.WindowStart)
            {
                _closing = report.WindowStart;
                _closingSynced = _atOpen && now;
                _atOpen = now;
            }

            return _closingSynced;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sensor {SensorId} had no good reading in its window ({Faults} faults): no report")]
    private static partial void LogNoReadings(ILogger logger, string sensorId, int faults);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sensor {SensorId} back in range at {Celsius} °C")]
    private static partial void LogBackInRange(ILogger logger, string sensorId, double celsius);
}
