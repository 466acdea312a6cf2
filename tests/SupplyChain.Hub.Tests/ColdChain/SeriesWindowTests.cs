using SupplyChain.Contracts.Events;
using SupplyChain.Hub.ColdChain;

namespace SupplyChain.Hub.Tests.ColdChain;

public sealed class SeriesWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static List<TemperatureSample> EveryMinute(int count, Func<int, decimal> celsius) =>
        [.. Enumerable.Range(0, count).Select(i => new TemperatureSample(T0.AddMinutes(i), celsius(i)))];

    [Fact]
    public void Of_Window_ReadingsInsidePlusTheOneHoldingAtItsStart()
    {
        var series = EveryMinute(10, i => i);

        var window = SeriesWindow.Of(series, T0.AddMinutes(2.5), T0.AddMinutes(5));

        Assert.Equal([2m, 3m, 4m], window.Points.Select(p => p.Celsius));
        Assert.Equal(2, window.Total);
        Assert.False(window.Thinned);
    }

    [Fact]
    public void Of_ReadingExactlyAtStart_NotDoubled()
    {
        var window = SeriesWindow.Of(EveryMinute(10, i => i), T0.AddMinutes(3), T0.AddMinutes(5));

        Assert.Equal([3m, 4m], window.Points.Select(p => p.Celsius));
    }

    [Fact]
    public void Of_TooManyReadings_ThinnedToTheBoundKeepingTheSpike()
    {
        // A week of minute readings at 5 °C with one 14 °C spike.
        var series = EveryMinute(7 * 24 * 60, i => i == 5000 ? 14m : 5m);

        var window = SeriesWindow.Of(series, T0, T0.AddDays(7), maxPoints: 200);

        Assert.True(window.Thinned);
        Assert.Equal(series.Count, window.Total);
        Assert.InRange(window.Points.Count, 2, 200);
        Assert.Contains(window.Points, p => p.Celsius == 14m && p.Time == T0.AddMinutes(5000));
        Assert.Equal(window.Points.OrderBy(p => p.Time), window.Points);
    }

    [Fact]
    public void Of_NoReadings_Empty()
    {
        var window = SeriesWindow.Of([], T0, T0.AddDays(1));

        Assert.Empty(window.Points);
        Assert.Equal(0, window.Total);
    }
}
