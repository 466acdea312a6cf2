using Microsoft.Extensions.Time.Testing;
using SupplyChain.Agent.Sensors;
using SupplyChain.Agent.Sensors.Ds18b20;

namespace SupplyChain.Agent.Tests.Sensors.Ds18b20;

public sealed class Ds18b20SensorTests : IDisposable
{
    private const string Id = "28-0316a2790aff";
    private readonly FakeW1Sysfs _sysfs = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    public void Dispose() => _sysfs.Dispose();

    [Fact]
    public async Task ReadAsync_KernelExample_Is23Point125()
    {
        _sysfs.WriteSlave(Id, "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");

        var reading = AssertReading(await Sensor().ReadAsync(CancellationToken.None));

        Assert.Equal(23.125, reading.Celsius);
        Assert.Equal(Id, reading.SensorId);
        Assert.Equal(_time.GetUtcNow(), reading.Timestamp);
        Assert.Null(reading.RelativeHumidity);
    }

    // DS18B20 datasheet, Table 1 "Temperature/Data Relationship" (12-bit).
    [Theory]
    [InlineData(0xD0, 0x07, 125.0)]
    [InlineData(0x91, 0x01, 25.0625)]
    [InlineData(0xA2, 0x00, 10.125)]
    [InlineData(0x08, 0x00, 0.5)]
    [InlineData(0x00, 0x00, 0.0)]
    [InlineData(0xF8, 0xFF, -0.5)]
    [InlineData(0x5E, 0xFF, -10.125)]
    [InlineData(0x6F, 0xFE, -25.0625)]
    [InlineData(0x90, 0xFC, -55.0)]
    public async Task ReadAsync_DatasheetTable1_DecodesEachRow(byte lsb, byte msb, double celsius)
    {
        _sysfs.WriteScratchpad(Id, lsb, msb, 0x4b, 0x46, 0x7f, 0xff, 0x0c, 0x10);

        Assert.Equal(celsius, AssertReading(await Sensor().ReadAsync(CancellationToken.None)).Celsius);
    }

    [Fact]
    public async Task ReadAsync_NineBitResolution_IgnoresUndefinedLowBits()
    {
        // Configuration 0x1F = R1R0 00 (9 bit): bits 2..0 are undefined (datasheet, Table 1 note); 0x0197 reads as 0x0190.
        _sysfs.WriteScratchpad(Id, 0x97, 0x01, 0x4b, 0x46, 0x1f, 0xff, 0x0c, 0x10);

        Assert.Equal(25.0, AssertReading(await Sensor().ReadAsync(CancellationToken.None)).Celsius);
    }

    [Fact]
    public async Task ReadAsync_KernelSaysNo_IsBadCrc()
    {
        // A corrupted read: kernel computed 0xdb over bytes 0..7, byte 8 says 0x57; line 2 still holds the last good read.
        _sysfs.WriteSlave(Id, "72 01 4b 46 7f ff 0e 90 57 : crc=db NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");

        AssertFault(SensorFaultReason.BadCrc, await Sensor().ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_YesButScratchpadCrcWrong_IsBadCrc()
    {
        // The verdict is not trusted: byte 1 is altered but the text still says YES.
        _sysfs.WriteSlave(Id, "72 02 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 02 4b 46 7f ff 0e 10 57 t=39125\n");

        AssertFault(SensorFaultReason.BadCrc, await Sensor().ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_AllZeroScratchpad_IsAllZeroDespiteValidCrc()
    {
        _sysfs.WriteSlave(Id, "00 00 00 00 00 00 00 00 00 : crc=00 YES\n00 00 00 00 00 00 00 00 00 t=0\n");

        AssertFault(SensorFaultReason.AllZero, await Sensor().ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_AllOnesScratchpad_IsNack()
    {
        _sysfs.WriteSlave(Id, "ff ff ff ff ff ff ff ff ff : crc=c9 NO\nff ff ff ff ff ff ff ff ff t=-62\n");

        AssertFault(SensorFaultReason.Nack, await Sensor().ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_PowerOnValue_IsRejected()
    {
        _sysfs.WriteSlave(Id, "50 05 4b 46 7f ff 0c 10 1c : crc=1c YES\n50 05 4b 46 7f ff 0c 10 1c t=85000\n");

        AssertFault(SensorFaultReason.PowerOnValue, await Sensor().ReadAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(0xE0, 0x07)] // +126 °C
    [InlineData(0x80, 0xFC)] // −56 °C
    public async Task ReadAsync_OutsideMinus55To125_IsOutOfRange(byte lsb, byte msb)
    {
        _sysfs.WriteScratchpad(Id, lsb, msb, 0x4b, 0x46, 0x7f, 0xff, 0x0c, 0x10);

        AssertFault(SensorFaultReason.OutOfRange, await Sensor().ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_NoDeviceDirectory_IsMissing() =>
        AssertFault(SensorFaultReason.Missing, await Sensor().ReadAsync(CancellationToken.None));

    [Fact]
    public async Task ReadAsync_NoRootDirectory_IsMissing() =>
        AssertFault(SensorFaultReason.Missing, await new Ds18b20Sensor(Path.Combine(_sysfs.Root, "nope"), Id, _time).ReadAsync(CancellationToken.None));

    [Fact]
    public async Task ReadAsync_PathIsADirectory_IsUnreadable()
    {
        Directory.CreateDirectory(Path.Combine(_sysfs.Root, Id, "w1_slave"));

        AssertFault(SensorFaultReason.Unreadable, await Sensor().ReadAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n")]
    [InlineData("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=2")]
    public async Task ReadAsync_PartialFile_IsMalformed(string text)
    {
        _sysfs.WriteSlave(Id, text);

        AssertFault(SensorFaultReason.Malformed, await Sensor().ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_TemperatureDisagreesWithScratchpad_IsMalformed()
    {
        _sysfs.WriteSlave(Id, "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=24125\n");

        AssertFault(SensorFaultReason.Malformed, await Sensor().ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_SameScratchpadBeyondLimit_IsStaleUntilItChanges()
    {
        var sensor = new Ds18b20Sensor(_sysfs.Root, Id, _time, staleAfter: TimeSpan.FromMinutes(30));
        _sysfs.WriteScratchpad(Id, 0x50, 0x00, 0x4b, 0x46, 0x7f, 0xff, 0x0c, 0x10); // 5.0 °C

        AssertReading(await sensor.ReadAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(30));
        AssertReading(await sensor.ReadAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        AssertFault(SensorFaultReason.Stale, await sensor.ReadAsync(CancellationToken.None));

        _sysfs.WriteScratchpad(Id, 0x51, 0x00, 0x4b, 0x46, 0x7f, 0xff, 0x0c, 0x10); // 5.0625 °C
        Assert.Equal(5.0625, AssertReading(await sensor.ReadAsync(CancellationToken.None)).Celsius);
    }

    [Fact]
    public async Task ReadAsync_Cancelled_Throws()
    {
        _sysfs.WriteSlave(Id, "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Sensor().ReadAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public void FindIds_MixedBus_ListsOnlyDs18b20sSorted()
    {
        _sysfs.WriteScratchpad("28-0316a2790aff", 0, 1, 2, 3, 4, 5, 6, 7);
        _sysfs.WriteScratchpad("28-00000a1b2c3d", 0, 1, 2, 3, 4, 5, 6, 7);
        Directory.CreateDirectory(Path.Combine(_sysfs.Root, "w1_bus_master1"));
        Directory.CreateDirectory(Path.Combine(_sysfs.Root, "10-000802b4c5d6")); // DS18S20, another family

        Assert.Equal(["28-00000a1b2c3d", "28-0316a2790aff"], Ds18b20Discovery.FindIds(_sysfs.Root));
    }

    [Fact]
    public void FindIds_SymlinkedDevices_AreFound()
    {
        // In sysfs, /sys/bus/w1/devices/28-… are symlinks into /sys/devices/w1_bus_master1/.
        var target = Directory.CreateDirectory(Path.Combine(_sysfs.Root, "w1_bus_master1", "28-0316a2790aff")).FullName;
        var devices = Directory.CreateDirectory(Path.Combine(_sysfs.Root, "devices")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(devices, "28-0316a2790aff"), target);

        Assert.Equal(["28-0316a2790aff"], Ds18b20Discovery.FindIds(devices));
    }

    [Fact]
    public void FindIds_NoBus_IsEmpty() =>
        Assert.Empty(Ds18b20Discovery.FindIds(Path.Combine(_sysfs.Root, "absent")));

    private Ds18b20Sensor Sensor() => new(_sysfs.Root, Id, _time);

    private static TemperatureReading AssertReading(SensorReadResult result)
    {
        Assert.True(result.TryGetReading(out var reading, out var fault), fault.ToString());
        return reading;
    }

    private void AssertFault(SensorFaultReason reason, SensorReadResult result)
    {
        Assert.False(result.TryGetReading(out _, out var fault), "expected a fault");
        Assert.Equal(reason, fault.Reason);
        Assert.Equal(Id, fault.SensorId);
        Assert.Equal(_time.GetUtcNow(), fault.Timestamp);
    }
}
