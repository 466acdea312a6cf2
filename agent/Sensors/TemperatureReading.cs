namespace SupplyChain.Agent.Sensors;

/// <summary>One valid measurement. <paramref name="RelativeHumidity"/> is in %RH, null when the sensor has none.</summary>
internal readonly record struct TemperatureReading(
    string SensorId,
    DateTimeOffset Timestamp,
    double Celsius,
    double? RelativeHumidity = null);
