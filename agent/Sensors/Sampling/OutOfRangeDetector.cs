namespace SupplyChain.Agent.Sensors.Sampling;

/// <summary>
/// Raises an alarm on the first reading outside [min, max] and clears it on the first reading back inside by at least
/// <c>hysteresis</c> degrees, so a value hovering on the limit does not flap. One instance per sensor.
/// </summary>
internal sealed class OutOfRangeDetector
{
    private readonly double _min;
    private readonly double _max;
    private readonly double _hysteresis;
    private RangeAlarmKind _state = RangeAlarmKind.BackInRange;

    public OutOfRangeDetector(double minCelsius, double maxCelsius, double hysteresis = 0)
    {
        if (!(minCelsius < maxCelsius))
        {
            throw new ArgumentOutOfRangeException(nameof(maxCelsius), "the range needs min < max");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(hysteresis);
        _min = minCelsius;
        _max = maxCelsius;
        _hysteresis = hysteresis;
    }

    public bool IsAlarmed => _state != RangeAlarmKind.BackInRange;

    /// <summary>Returns an alarm when this reading changes the state, otherwise null.</summary>
    public RangeAlarm? Evaluate(TemperatureReading reading)
    {
        var t = reading.Celsius;
        var next = _state switch
        {
            _ when t < _min => RangeAlarmKind.TooCold,
            _ when t > _max => RangeAlarmKind.TooWarm,
            RangeAlarmKind.TooCold when t < _min + _hysteresis => RangeAlarmKind.TooCold,
            RangeAlarmKind.TooWarm when t > _max - _hysteresis => RangeAlarmKind.TooWarm,
            _ => RangeAlarmKind.BackInRange,
        };

        if (next == _state)
        {
            return null;
        }

        _state = next;
        return new RangeAlarm(reading.SensorId, reading.Timestamp, next, t, _min, _max);
    }
}
