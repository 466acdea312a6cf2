using Microsoft.Extensions.Time.Testing;
using SupplyChain.Agent.Sensors;
using SupplyChain.Agent.Sensors.Sht3x;
using SupplyChain.Agent.Tests.Sensors.Sensirion;

namespace SupplyChain.Agent.Tests.Sensors.Sht3x;

public sealed class Sht3xSensorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private readonly SimulatedI2cDevice _device;
    private readonly Sht3xSensor _sensor;

    public Sht3xSensorTests()
    {
        _device = new SimulatedI2cDevice(_time);
        _sensor = new Sht3xSensor(_device, "i2c-1-0x44", _time);
    }

    public void Dispose() => _sensor.Dispose();

    [Fact]
    public async Task ReadAsync_RawTemperature0x6666_Is25Celsius()
    {
        _device.EnqueueRead(ShtFrames.Of(0x6666, 0x8000));

        var reading = AssertReading(await MeasureAsync());

        Assert.Equal(25.0, reading.Celsius, precision: 10);
        Assert.Equal(100.0 * 0x8000 / 65535, reading.RelativeHumidity!.Value, precision: 10);
        Assert.Equal("i2c-1-0x44", reading.SensorId);
    }

    [Fact]
    public async Task ReadAsync_Always_SendsSingleShotHighRepeatabilityWithoutClockStretching()
    {
        _device.EnqueueRead(ShtFrames.Of(0x6666, 0x8000));

        await MeasureAsync();

        Assert.Equal(new byte[] { 0x24, 0x00 }, Assert.Single(_device.Writes).Bytes);
    }

    [Fact]
    public async Task ReadAsync_ConversionRunning_DoesNotReadBefore15Point5Milliseconds()
    {
        _device.EnqueueRead(ShtFrames.Of(0x6666, 0x8000));

        var task = _sensor.ReadAsync(CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(15.5));
        await Task.Delay(100); // give a wrongly early timer continuation the chance to run and read
        Assert.False(task.IsCompleted);
        Assert.Empty(_device.ReadTimes);
        _time.Advance(TimeSpan.FromMilliseconds(0.5));
        AssertReading(await task);

        Assert.True(_device.ReadTimes[0] - _device.Writes[0].At >= TimeSpan.FromMilliseconds(15.5));
    }

    [Theory]
    [InlineData((ushort)0x0000, -45.0, 0.0)]
    [InlineData((ushort)0xFFFF, 130.0, 100.0)]
    public void Conversions_Extremes_MatchDatasheetFormula(ushort raw, double celsius, double humidity)
    {
        Assert.Equal(celsius, SupplyChain.Agent.Sensors.Sensirion.ShtMeasurement.Celsius(raw), precision: 10);
        Assert.Equal(humidity, Sht3xSensor.RelativeHumidity(raw), precision: 10);
    }

    [Fact]
    public async Task ReadAsync_CommandNacked_IsNackWithoutReading()
    {
        _device.NackWrites = true;

        AssertFault(SensorFaultReason.Nack, await _sensor.ReadAsync(CancellationToken.None));
        Assert.Empty(_device.ReadTimes);
    }

    [Fact]
    public async Task ReadAsync_ReadNacked_IsNack()
    {
        _device.EnqueueRead(null);

        AssertFault(SensorFaultReason.Nack, await MeasureAsync());
    }

    [Fact]
    public async Task ReadAsync_BusFloatingHigh_IsNack()
    {
        _device.EnqueueRead([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);

        AssertFault(SensorFaultReason.Nack, await MeasureAsync());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(0)]
    [InlineData(4)]
    public async Task ReadAsync_CorruptedByte_IsBadCrc(int index)
    {
        var frame = ShtFrames.Of(0x6666, 0x8000);
        frame[index] ^= 0x01;
        _device.EnqueueRead(frame);

        AssertFault(SensorFaultReason.BadCrc, await MeasureAsync());
    }

    [Fact]
    public async Task ReadAsync_AllZero_IsBadCrc()
    {
        // CRC of 0x0000 is 0x81, so an all-zero frame cannot pass.
        _device.EnqueueRead(new byte[6]);

        AssertFault(SensorFaultReason.BadCrc, await MeasureAsync());
    }

    [Theory]
    [InlineData((ushort)0xFFFF)] // 130 °C
    [InlineData((ushort)0x0000)] // −45 °C
    public async Task ReadAsync_OutsideMinus40To125_IsOutOfRange(ushort raw)
    {
        _device.EnqueueRead(ShtFrames.Of(raw, 0x8000));

        AssertFault(SensorFaultReason.OutOfRange, await MeasureAsync());
    }

    [Fact]
    public async Task ReadAsync_IdenticalFramesBeyondTenMinutes_IsStale()
    {
        for (var i = 0; i < 3; i++)
        {
            _device.EnqueueRead(ShtFrames.Of(0x6666, 0x8000));
        }

        _device.EnqueueRead(ShtFrames.Of(0x6667, 0x8000));

        AssertReading(await MeasureAsync());
        _time.Advance(TimeSpan.FromMinutes(5));
        AssertReading(await MeasureAsync());
        _time.Advance(TimeSpan.FromMinutes(5));
        AssertFault(SensorFaultReason.Stale, await MeasureAsync());
        AssertReading(await MeasureAsync());
    }

    [Fact]
    public async Task ReadAsync_CancelledDuringConversion_Throws()
    {
        using var cts = new CancellationTokenSource();
        _device.EnqueueRead(ShtFrames.Of(0x6666, 0x8000));

        var task = _sensor.ReadAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.Empty(_device.ReadTimes);
    }

    [Fact]
    public void Constructor_NoId_NamesTheSensorAfterBusAndAddress()
    {
        using var sensor = new Sht3xSensor(new SimulatedI2cDevice(_time, address: 0x45), _time);

        Assert.Equal("i2c-1-0x45", sensor.SensorId);
    }

    [Fact]
    public void Dispose_Always_DisposesTheDevice()
    {
        _sensor.Dispose();

        Assert.True(_device.IsDisposed);
    }

    private async Task<SensorReadResult> MeasureAsync()
    {
        var task = _sensor.ReadAsync(CancellationToken.None).AsTask();
        _time.Advance(Sht3xSensor.ConversionTime);
        return await task;
    }

    private static TemperatureReading AssertReading(SensorReadResult result)
    {
        Assert.True(result.TryGetReading(out var reading, out var fault), fault.ToString());
        return reading;
    }

    private static void AssertFault(SensorFaultReason reason, SensorReadResult result)
    {
        Assert.False(result.TryGetReading(out _, out var fault), "expected a fault");
        Assert.Equal(reason, fault.Reason);
    }
}
