using Microsoft.Extensions.Time.Testing;
using SupplyChain.Agent.Sensors;
using SupplyChain.Agent.Sensors.Sht4x;
using SupplyChain.Agent.Tests.Sensors.Sensirion;

namespace SupplyChain.Agent.Tests.Sensors.Sht4x;

public sealed class Sht4xSensorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private readonly SimulatedI2cDevice _device;
    private readonly Sht4xSensor _sensor;

    public Sht4xSensorTests()
    {
        _device = new SimulatedI2cDevice(_time);
        _sensor = new Sht4xSensor(_device, "i2c-1-0x44", _time);
    }

    public void Dispose() => _sensor.Dispose();

    [Fact]
    public async Task ReadAsync_RawTemperature0x6666_Is25Celsius()
    {
        _device.EnqueueRead(ShtFrames.Of(0x6666, 0x8000));

        var reading = AssertReading(await MeasureAsync());

        Assert.Equal(25.0, reading.Celsius, precision: 10);
        Assert.Equal(-6 + (125.0 * 0x8000 / 65535), reading.RelativeHumidity!.Value, precision: 10);
    }

    [Fact]
    public async Task ReadAsync_Always_SendsMeasureHighPrecisionAndWaitsAtLeast8Point3Milliseconds()
    {
        _device.EnqueueRead(ShtFrames.Of(0x6666, 0x8000));

        var task = _sensor.ReadAsync(CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(8.3));
        await Task.Delay(100); // give a wrongly early timer continuation the chance to run and read
        Assert.False(task.IsCompleted);
        Assert.Empty(_device.ReadTimes);
        _time.Advance(TimeSpan.FromMilliseconds(1.7));
        AssertReading(await task);

        Assert.Equal(new byte[] { 0xFD }, Assert.Single(_device.Writes).Bytes);
        Assert.True(_device.ReadTimes[0] - _device.Writes[0].At >= TimeSpan.FromMilliseconds(8.3));
    }

    [Theory]
    [InlineData((ushort)0x0000, 0.0)]      // −6 %RH cropped
    [InlineData((ushort)0x0C49, 0.0)]      // just under 0 %RH cropped
    [InlineData((ushort)0xFFFF, 100.0)]    // 119 %RH cropped
    [InlineData((ushort)0xD709, 98.99924)] // in range, not cropped
    public void RelativeHumidity_OutsidePhysicalRange_IsCropped(ushort raw, double expected) =>
        Assert.Equal(expected, Sht4xSensor.RelativeHumidity(raw), precision: 4);

    [Fact]
    public async Task ReadAsync_ReadNacked_IsNack()
    {
        _device.EnqueueRead(null);

        AssertFault(SensorFaultReason.Nack, await MeasureAsync());
    }

    [Fact]
    public async Task ReadAsync_CommandNacked_IsNack()
    {
        _device.NackWrites = true;

        AssertFault(SensorFaultReason.Nack, await _sensor.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_HumidityCrcWrong_IsBadCrc()
    {
        var frame = ShtFrames.Of(0x6666, 0x8000);
        frame[5] ^= 0x80;
        _device.EnqueueRead(frame);

        AssertFault(SensorFaultReason.BadCrc, await MeasureAsync());
    }

    [Fact]
    public async Task ReadAsync_Above125Celsius_IsOutOfRange()
    {
        _device.EnqueueRead(ShtFrames.Of(0xFFFF, 0x8000));

        AssertFault(SensorFaultReason.OutOfRange, await MeasureAsync());
    }

    [Fact]
    public async Task ReadAsync_IdenticalFramesBeyondLimit_IsStale()
    {
        using var device = new SimulatedI2cDevice(_time);
        using var sensor = new Sht4xSensor(device, "s", _time, staleAfter: TimeSpan.FromSeconds(30));
        device.EnqueueRead(ShtFrames.Of(0x6666, 0x8000));
        device.EnqueueRead(ShtFrames.Of(0x6666, 0x8000));

        var first = sensor.ReadAsync(CancellationToken.None).AsTask();
        _time.Advance(Sht4xSensor.ConversionTime);
        AssertReading(await first);
        _time.Advance(TimeSpan.FromSeconds(31));
        var second = sensor.ReadAsync(CancellationToken.None).AsTask();
        _time.Advance(Sht4xSensor.ConversionTime);
        AssertFault(SensorFaultReason.Stale, await second);
    }

    private async Task<SensorReadResult> MeasureAsync()
    {
        var task = _sensor.ReadAsync(CancellationToken.None).AsTask();
        _time.Advance(Sht4xSensor.ConversionTime);
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
