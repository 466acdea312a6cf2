using System.Device.I2c;
using SupplyChain.Agent.Sensors.Sensirion;

namespace SupplyChain.Agent.Sensors.Sht4x;

/// <summary>
/// Sensirion SHT40/41/45 over I2C (SHT4x datasheet). Command 0xFD measures T and RH with high precision (§4.5 Table 7);
/// the maximum duration is 8.3 ms (Table 4), we wait 10 ms, then read six bytes.
/// The driver owns and disposes the <see cref="I2cDevice"/>.
/// </summary>
internal sealed class Sht4xSensor : ITemperatureSensor, IDisposable
{
    public const int DefaultI2cAddress = 0x44;

    public static readonly TimeSpan ConversionTime = TimeSpan.FromMilliseconds(10);

    /// <summary>Identical frames for longer than this are stale: T and RH noise moves the 16-bit words every read.</summary>
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromMinutes(10);

    // Datasheet Table 2: specified from −40 °C to 125 °C.
    private const double MinimumCelsius = -40;
    private const double MaximumCelsius = 125;

    private static readonly byte[] MeasureHighPrecision = [0xFD];

    private readonly I2cDevice _device;
    private readonly ShtMeasurement _measurement;
    private readonly TimeProvider _timeProvider;

    /// <summary>Names the sensor after its bus and address, e.g. <c>i2c-1-0x44</c>.</summary>
    public Sht4xSensor(I2cDevice device, TimeProvider timeProvider, TimeSpan? staleAfter = null)
        : this(device, ShtMeasurement.SensorIdFor(device), timeProvider, staleAfter)
    {
    }

    public Sht4xSensor(I2cDevice device, string sensorId, TimeProvider timeProvider, TimeSpan? staleAfter = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentException.ThrowIfNullOrWhiteSpace(sensorId);
        _device = device;
        _timeProvider = timeProvider;
        SensorId = sensorId;
        _measurement = new ShtMeasurement(device, sensorId, timeProvider, new StaleDetector(staleAfter ?? DefaultStaleAfter, timeProvider), MeasureHighPrecision, ConversionTime);
    }

    public string SensorId { get; }

    /// <summary>SHT4x §4.6: RH = −6 + 125 · S_RH / (2^16 − 1), cropped to 0..100 %RH as the datasheet recommends.</summary>
    public static double RelativeHumidity(ushort rawHumidity) => Math.Clamp(-6 + (125.0 * rawHumidity / 65535), 0, 100);

    public ValueTask<SensorReadResult> ReadAsync(CancellationToken cancellationToken) =>
        _measurement.ReadAsync(Decode, cancellationToken);

    public void Dispose() => _device.Dispose();

    private SensorReadResult Decode(ushort rawTemperature, ushort rawHumidity, DateTimeOffset now)
    {
        var celsius = ShtMeasurement.Celsius(rawTemperature);
        if (celsius is < MinimumCelsius or > MaximumCelsius)
        {
            return SensorReadResult.Failure(SensorId, _timeProvider.GetUtcNow(), SensorFaultReason.OutOfRange, $"{celsius:F2} °C is outside −40..125 °C");
        }

        return SensorReadResult.Success(new TemperatureReading(SensorId, now, celsius, RelativeHumidity(rawHumidity)));
    }
}
