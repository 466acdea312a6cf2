using System.Device.I2c;

namespace SupplyChain.Agent.Sensors.Sensirion;

/// <summary>
/// The single-shot measurement both SHT3x and SHT4x use: write a command, wait for the conversion, read six bytes
/// <c>T_msb T_lsb CRC RH_msb RH_lsb CRC</c>, check both CRCs and decode the raw words. The chip-specific parts
/// (command, wait, humidity formula, range) are passed in by the device class.
/// </summary>
internal sealed class ShtMeasurement(
    I2cDevice device,
    string sensorId,
    TimeProvider timeProvider,
    StaleDetector stale,
    ReadOnlyMemory<byte> command,
    TimeSpan conversionTime)
{
    public const int FrameLength = 6;

    /// <summary>A stable id from the bus and address: <c>i2c-{bus}-0x{address}</c>.</summary>
    public static string SensorIdFor(I2cDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return $"i2c-{device.ConnectionSettings.BusId}-0x{device.ConnectionSettings.DeviceAddress:x2}";
    }

    // SHT3x-DIS §4.13 and SHT4x §4.6: T = −45 + 175 · S_T / (2^16 − 1).
    public static double Celsius(ushort rawTemperature) => -45 + (175.0 * rawTemperature / 65535);

    /// <summary>Runs one measurement and hands the raw words to <paramref name="decode"/> for the chip-specific result.</summary>
    public async ValueTask<SensorReadResult> ReadAsync(Func<ushort, ushort, DateTimeOffset, SensorReadResult> decode, CancellationToken cancellationToken)
    {
        try
        {
            device.Write(command.Span);
        }
        catch (IOException e)
        {
            // Linux i2c-dev reports a missing acknowledge as an I/O error on the transfer.
            return Fail(SensorFaultReason.Nack, $"command not acknowledged: {e.Message}");
        }

        await Task.Delay(conversionTime, timeProvider, cancellationToken).ConfigureAwait(false);

        var frame = new byte[FrameLength];
        try
        {
            device.Read(frame);
        }
        catch (IOException e)
        {
            // The sensor NACKs its read header while a conversion is still running.
            return Fail(SensorFaultReason.Nack, $"read not acknowledged: {e.Message}");
        }

        if (!frame.AsSpan().ContainsAnyExcept((byte)0xFF))
        {
            return Fail(SensorFaultReason.Nack, "all bytes 0xFF: nobody drove SDA");
        }

        if (SensirionCrc8.Compute(frame.AsSpan(0, 2)) != frame[2])
        {
            return Fail(SensorFaultReason.BadCrc, "temperature word CRC mismatch");
        }

        if (SensirionCrc8.Compute(frame.AsSpan(3, 2)) != frame[5])
        {
            return Fail(SensorFaultReason.BadCrc, "humidity word CRC mismatch");
        }

        if (stale.IsStale(frame, out var unchangedFor))
        {
            return Fail(SensorFaultReason.Stale, $"raw frame unchanged for {unchangedFor}");
        }

        var now = timeProvider.GetUtcNow();
        var rawTemperature = (ushort)((frame[0] << 8) | frame[1]);
        var rawHumidity = (ushort)((frame[3] << 8) | frame[4]);
        return decode(rawTemperature, rawHumidity, now);
    }

    private SensorReadResult Fail(SensorFaultReason reason, string detail) =>
        SensorReadResult.Failure(sensorId, timeProvider.GetUtcNow(), reason, detail);
}
