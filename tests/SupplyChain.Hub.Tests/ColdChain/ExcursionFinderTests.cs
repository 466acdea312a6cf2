using SupplyChain.Contracts.Events;
using SupplyChain.Hub.ColdChain;

namespace SupplyChain.Hub.Tests.ColdChain;

public sealed class ExcursionFinderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly AllowedRange Fridge = new(2m, 8m, TimeSpan.FromMinutes(15));

    private static List<TemperatureSample> Series(params decimal[] celsius) =>
        [.. celsius.Select((c, i) => new TemperatureSample(T0.AddMinutes(10 * i), c))];

    [Fact]
    public void Find_RunAboveRange_StartEndPeakAndMkt()
    {
        var series = Series(5m, 5m, 9m, 10m, 5m);

        var excursion = Assert.Single(ExcursionFinder.Find(series, Fridge, T0, T0.AddHours(1), T0.AddHours(2), limit: 10));

        Assert.Equal(T0.AddMinutes(20), excursion.Start);
        Assert.Equal(T0.AddMinutes(40), excursion.End);
        Assert.Equal(TimeSpan.FromMinutes(20), excursion.Duration);
        Assert.Equal(10m, excursion.PeakCelsius);
        Assert.Equal(2, excursion.Readings);
        // USP <1079.2> MKT, ΔH/R = 10 000 K, of 10 minutes at 9 °C and 10 minutes at 10 °C.
        Assert.Equal(9.514752489, excursion.MktCelsius!.Value, 6);
        Assert.False(excursion.Ongoing);
    }

    [Fact]
    public void Find_LastReadingOutside_OngoingUntilNow()
    {
        var series = Series(5m, 1m, 0.5m);
        var now = T0.AddMinutes(50);

        var excursion = Assert.Single(ExcursionFinder.Find(series, Fridge, T0, now, now, limit: 10));

        Assert.True(excursion.Ongoing);
        Assert.Null(excursion.End);
        Assert.Equal(TimeSpan.FromMinutes(40), excursion.Duration);
        Assert.Equal(0.5m, excursion.PeakCelsius);
    }

    [Fact]
    public void Find_PeakIsTheReadingFarthestOutside_EitherSide()
    {
        var series = Series(5m, 9m, 1.5m, 8.2m, 5m);

        var excursion = Assert.Single(ExcursionFinder.Find(series, Fridge, T0, T0.AddHours(1), T0.AddHours(1), limit: 10));

        // 1.5 °C is 0.5 below the range, 9 °C 1.0 above it.
        Assert.Equal(9m, excursion.PeakCelsius);
        Assert.Equal(3, excursion.Readings);
    }

    [Fact]
    public void Find_ExcursionRunningIntoTheWindow_KeepsItsRealStart()
    {
        var series = Series(5m, 9m, 9m, 9m, 5m, 11m, 5m);

        var found = ExcursionFinder.Find(series, Fridge, T0.AddMinutes(25), T0.AddMinutes(45), T0.AddHours(2), limit: 10);

        var excursion = Assert.Single(found);
        Assert.Equal(T0.AddMinutes(10), excursion.Start);
        Assert.Equal(T0.AddMinutes(40), excursion.End);
    }

    [Fact]
    public void Find_ExcursionsOutsideTheWindow_Left()
    {
        var series = Series(9m, 5m, 5m, 5m, 5m, 9m, 5m);

        var found = ExcursionFinder.Find(series, Fridge, T0.AddMinutes(15), T0.AddMinutes(45), T0.AddHours(2), limit: 10);

        Assert.Empty(found);
    }

    [Fact]
    public void Find_Limit_KeepsTheNewest()
    {
        var series = Series(9m, 5m, 9m, 5m, 9m, 5m);

        var found = ExcursionFinder.Find(series, Fridge, T0, T0.AddHours(1), T0.AddHours(1), limit: 2);

        Assert.Equal([T0.AddMinutes(20), T0.AddMinutes(40)], found.Select(e => e.Start));
    }

    [Fact]
    public void Find_LimitsInclusive_NoExcursion()
    {
        Assert.Empty(ExcursionFinder.Find(Series(2m, 8m, 5m), Fridge, T0, T0.AddHours(1), T0.AddHours(1), limit: 10));
        Assert.Empty(ExcursionFinder.Find([], Fridge, T0, T0.AddHours(1), T0.AddHours(1), limit: 10));
    }
}
