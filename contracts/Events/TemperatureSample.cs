namespace SupplyChain.Contracts.Events;

/// <summary>One temperature reading: when, and degrees Celsius.</summary>
/// <param name="Time">When the sample was taken (written in UTC, truncated to milliseconds).</param>
/// <param name="Celsius">The reading in °C.</param>
public readonly record struct TemperatureSample(DateTimeOffset Time, decimal Celsius);
