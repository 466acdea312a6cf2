using System.Device.I2c;
using SupplyChain.Agent.Sensors.Sensirion;

namespace SupplyChain.Agent.Sensors.Sht3x;

/// <summary>
/// Sensirion SHT30/31/35 over I2C (SHT3x-DIS datasheet). Single shot, high repeatability, clock stretching disabled:
/// command 0x24 0x00 (§4.3 Table 9), then at least 15.5 ms (Table 4, t_MEAS,h max) before reading six bytes.
/// The driver owns and disposes the <see cref="I2cDevice"/>.
/// </summary>
internal sealed class Sht3xSensor : ITemperatureSensor, IDisposable
{
    public const int DefaultI2cAddress = 0x44;
    public const int AlternateI2cAddress = 0x45;

    /// <summary>15.5 ms maximum measurement duration, rounded up to whole milliseconds.</summary>
    public static readonly TimeSpan ConversionTime = TimeSpan.FromMilliseconds(16);

    /// <summary>Identical frames for longer than this are stale: T and RH noise moves the 16-bit words every read.</summary>
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromMinutes(10);

    // Datasheet Table 2: specified from −40 °C to 125 °C.
    private const double MinimumCelsius = -40;
    private const double MaximumCelsius = 125;

    private static readonly byte[] SingleShotHighRepeatability = [0x24, 0x00];

    private readonly I2cDevice _device;
    private readonly ShtMeasurement _measurement;
    private readonly TimeProvider _timeProvider;

    /// <summary>Names the sensor after its bus and address, e.g. <c>i2c-1-0x44</c>.</summary>
    public Sht3xSensor(I2cDevice device, TimeProvider timeProvider, TimeSpan? staleAfter = null)
        : this(device, ShtMeasurement.SensorIdFor(device), timeProvider, staleAfter)
    {
    }

    public Sht3xSensor(I2cDevice device, string sensorId, TimeProvider timeProvider, TimeSpan? staleAfter = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentException.ThrowIfNullOrWhiteSpace(sensorId);
        _device = device;
        _timeProvider = timeProvider;
        SensorId = sensorId;
        _measurement = new ShtMeasurement(device, sensorId, timeProvider, new StaleDetector(staleAfter ?? DefaultStaleAfter, timeProvider), SingleShotHighRepeatability, ConversionTime);
    }

    public string SensorId { get; }

    /// <summary>SHT3x-DIS §4.13: RH = 100 · S_RH / (2^16 − 1).</summary>
    public static double RelativeHumidity(ushort rawHumidity) => 100.0 * rawHumidity / 65535;

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
