namespace SupplyChain.Agent.Sensors;

/// <summary>Why a read produced no value. A fault is counted and reported; it is never replaced by an old or invented value.</summary>
internal enum SensorFaultReason
{
    /// <summary>The device did not acknowledge on the bus (I2C NACK), or the bus floated high.</summary>
    Nack,

    /// <summary>A checksum over the data did not match.</summary>
    BadCrc,

    /// <summary>The raw bytes have not changed for longer than the driver's stale limit (see <see cref="StaleDetector"/>).</summary>
    Stale,

    /// <summary>The device or its sysfs file does not exist (unplugged, driver not loaded).</summary>
    Missing,

    /// <summary>The device exists but could not be read (I/O error, permissions).</summary>
    Unreadable,

    /// <summary>The data was partial or did not have the documented shape.</summary>
    Malformed,

    /// <summary>The sensor returned its power-on reset value instead of a conversion (DS18B20: +85 °C).</summary>
    PowerOnValue,

    /// <summary>Every data byte was zero (DS18B20: bus held low; its CRC-8 is zero too, so the CRC cannot catch it).</summary>
    AllZero,

    /// <summary>The value lies outside the sensor's specified operating range.</summary>
    OutOfRange,
}

/// <summary>A failed read: which sensor, when, why, and a short human-readable detail.</summary>
internal readonly record struct SensorFault(string SensorId, DateTimeOffset Timestamp, SensorFaultReason Reason, string Detail);
