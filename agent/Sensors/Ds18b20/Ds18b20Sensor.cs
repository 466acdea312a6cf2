using System.Buffers.Binary;

namespace SupplyChain.Agent.Sensors.Ds18b20;

/// <summary>
/// A DS18B20 read through the Linux w1_therm driver: <c>{devicesRoot}/{id}/w1_slave</c>. Reading the file makes the kernel
/// start a conversion and return the scratchpad (DS18B20 datasheet, "Memory", Figure 9), so every read is fresh.
/// The value is decoded from the scratchpad ourselves (datasheet Table 1) after checking its CRC-8, not taken on trust.
/// </summary>
internal sealed class Ds18b20Sensor : ITemperatureSensor
{
    /// <summary>Where the kernel lists 1-Wire devices.</summary>
    public const string DefaultDevicesRoot = "/sys/bus/w1/devices";

    /// <summary>Identical scratchpads for longer than this are stale (see <see cref="StaleDetector"/>). A fridge probe moves by
    /// at least one 0.0625 °C step within two hours of compressor cycles and door openings.</summary>
    public static readonly TimeSpan DefaultStaleAfter = TimeSpan.FromHours(2);

    // Datasheet: measures −55 °C to +125 °C; the temperature register powers up at +85 °C (0x0550).
    private const double MinimumCelsius = -55;
    private const double MaximumCelsius = 125;
    private const short PowerOnRaw = 0x0550;

    private readonly string _path;
    private readonly TimeProvider _timeProvider;
    private readonly StaleDetector _stale;

    public Ds18b20Sensor(string devicesRoot, string id, TimeProvider timeProvider, TimeSpan? staleAfter = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(devicesRoot);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        SensorId = id;
        _path = Path.Combine(devicesRoot, id, "w1_slave");
        _timeProvider = timeProvider;
        _stale = new StaleDetector(staleAfter ?? DefaultStaleAfter, timeProvider);
    }

    public string SensorId { get; }

    public async ValueTask<SensorReadResult> ReadAsync(CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(_path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Fail(SensorFaultReason.Missing, $"{_path} does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // w1_therm returns EIO when the bus read fails (sensor gone mid-read, shorted bus).
            return Fail(SensorFaultReason.Unreadable, e.Message);
        }

        return Decode(text);
    }

    /// <summary>Validates and decodes one <c>w1_slave</c> text read at the current time.</summary>
    internal SensorReadResult Decode(string text)
    {
        if (!W1SlaveText.TryParse(text, out var file, out var error))
        {
            return Fail(SensorFaultReason.Malformed, error);
        }

        var pad = file.Scratchpad;

        // All-zero passes the CRC (CRC-8 of zeros is zero), so it must be rejected before the CRC is trusted.
        if (!pad.AsSpan().ContainsAnyExcept((byte)0))
        {
            return Fail(SensorFaultReason.AllZero, "scratchpad is all zero");
        }

        if (!pad.AsSpan().ContainsAnyExcept((byte)0xFF))
        {
            return Fail(SensorFaultReason.Nack, "scratchpad is all 0xFF: no device answered");
        }

        var crc = DallasCrc8.Compute(pad.AsSpan(0, 8));
        if (!file.KernelCrcOk || crc != pad[8])
        {
            return Fail(SensorFaultReason.BadCrc, $"CRC-8 0x{crc:x2} does not match scratchpad byte 8 0x{pad[8]:x2} (kernel: {(file.KernelCrcOk ? "YES" : "NO")})");
        }

        if (file.KernelCrc != crc || !pad.AsSpan().SequenceEqual(file.LastGoodScratchpad))
        {
            return Fail(SensorFaultReason.Malformed, "the two lines of w1_slave disagree");
        }

        var raw = BinaryPrimitives.ReadInt16LittleEndian(pad);
        if (KernelMilliCelsius(pad) != file.MilliCelsius)
        {
            return Fail(SensorFaultReason.Malformed, $"t={file.MilliCelsius} does not match the scratchpad");
        }

        if (raw == PowerOnRaw)
        {
            // A real 85 °C cannot be told apart; on a cold chain it is the sensor having lost power or skipped conversion.
            return Fail(SensorFaultReason.PowerOnValue, "85 °C power-on reset value");
        }

        var celsius = ResolutionMasked(raw, pad[4]) / 16.0;
        if (celsius is < MinimumCelsius or > MaximumCelsius)
        {
            return Fail(SensorFaultReason.OutOfRange, $"{celsius} °C is outside −55..125 °C");
        }

        if (_stale.IsStale(pad, out var unchangedFor))
        {
            return Fail(SensorFaultReason.Stale, $"scratchpad unchanged for {unchangedFor}");
        }

        return SensorReadResult.Success(new TemperatureReading(SensorId, _timeProvider.GetUtcNow(), celsius));
    }

    // DS18B20 datasheet, Table 1 and Configuration Register: at 9/10/11-bit resolution (R1R0 = 00/01/10 in bits 6:5
    // of byte 4) the lowest 3/2/1 bits of the temperature register are undefined.
    private static int ResolutionMasked(short raw, byte configuration)
    {
        var undefinedBits = 3 - ((configuration >> 5) & 0b11);
        return raw & ~((1 << undefinedBits) - 1);
    }

    // The t= value exactly as Linux w1_therm computes it (w1_DS18B20_convert_temp), truncating toward zero;
    // configuration bit 7 marks GX20MH01 clones that carry two extra bits.
    private static int KernelMilliCelsius(ReadOnlySpan<byte> pad)
    {
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(pad);
        if ((pad[4] & 0x80) != 0)
        {
            return (short)(ushort)((bits << 2) | (pad[4] & 3)) * 1000 / 64;
        }

        return (short)bits * 1000 / 16;
    }

    private SensorReadResult Fail(SensorFaultReason reason, string detail) =>
        SensorReadResult.Failure(SensorId, _timeProvider.GetUtcNow(), reason, detail);
}
