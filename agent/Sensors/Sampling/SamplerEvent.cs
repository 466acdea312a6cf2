namespace SupplyChain.Agent.Sensors.Sampling;

/// <summary>What the sampler produces: a closed report window per sensor, or an alarm the moment a range is crossed.</summary>
internal abstract record SamplerEvent(string SensorId);

/// <summary>
/// One sensor over one report window [<paramref name="WindowStart"/>, <paramref name="WindowEnd"/>): the samples, their
/// min/max/mean (null when no read succeeded) and how many reads failed and why. <paramref name="IsPartial"/> is true for
/// a window cut short by shutdown or a clock jump.
/// </summary>
internal sealed record SensorWindowReport(
    string SensorId,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    IReadOnlyList<TemperatureReading> Samples,
    double? MinCelsius,
    double? MaxCelsius,
    double? MeanCelsius,
    int FaultCount,
    IReadOnlyDictionary<SensorFaultReason, int> FaultsByReason,
    bool IsPartial) : SamplerEvent(SensorId);

internal enum RangeAlarmKind
{
    TooCold,
    TooWarm,
    BackInRange,
}

/// <summary>A sensor left or re-entered its configured range at <paramref name="Timestamp"/> with <paramref name="Celsius"/>.</summary>
internal sealed record RangeAlarm(
    string SensorId,
    DateTimeOffset Timestamp,
    RangeAlarmKind Kind,
    double Celsius,
    double MinCelsius,
    double MaxCelsius) : SamplerEvent(SensorId);
