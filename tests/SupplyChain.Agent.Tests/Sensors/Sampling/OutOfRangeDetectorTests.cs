using SupplyChain.Agent.Sensors;
using SupplyChain.Agent.Sensors.Sampling;

namespace SupplyChain.Agent.Tests.Sensors.Sampling;

public sealed class OutOfRangeDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Evaluate_FirstReadingAboveMax_RaisesTooWarmAtOnce()
    {
        var detector = new OutOfRangeDetector(2, 8);

        var alarm = detector.Evaluate(Reading(8.1));

        Assert.Equal(new RangeAlarm("fridge", T0, RangeAlarmKind.TooWarm, 8.1, 2, 8), alarm);
        Assert.True(detector.IsAlarmed);
    }

    [Fact]
    public void Evaluate_StaysOutOfRange_RaisesOnlyOnce()
    {
        var detector = new OutOfRangeDetector(2, 8);

        Assert.NotNull(detector.Evaluate(Reading(9)));
        Assert.Null(detector.Evaluate(Reading(10)));
        Assert.Null(detector.Evaluate(Reading(9)));
    }

    [Fact]
    public void Evaluate_LimitsThemselves_AreInRange()
    {
        var detector = new OutOfRangeDetector(2, 8);

        Assert.Null(detector.Evaluate(Reading(2)));
        Assert.Null(detector.Evaluate(Reading(8)));
    }

    [Fact]
    public void Evaluate_BackInsideByLessThanHysteresis_StaysAlarmed()
    {
        var detector = new OutOfRangeDetector(2, 8, hysteresis: 0.5);
        detector.Evaluate(Reading(1.5));

        Assert.Null(detector.Evaluate(Reading(2.4)));
        Assert.Equal(RangeAlarmKind.BackInRange, detector.Evaluate(Reading(2.5))?.Kind);
        Assert.False(detector.IsAlarmed);
    }

    [Fact]
    public void Evaluate_TooColdThenTooWarm_RaisesBoth()
    {
        var detector = new OutOfRangeDetector(2, 8);

        Assert.Equal(RangeAlarmKind.TooCold, detector.Evaluate(Reading(-1))?.Kind);
        Assert.Equal(RangeAlarmKind.TooWarm, detector.Evaluate(Reading(11))?.Kind);
    }

    [Fact]
    public void Constructor_EmptyRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new OutOfRangeDetector(8, 2));

    private static TemperatureReading Reading(double celsius) => new("fridge", T0, celsius);
}
