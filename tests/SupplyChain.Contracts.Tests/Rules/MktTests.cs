using FsCheck;
using FsCheck.Fluent;
using SupplyChain.Contracts.Rules;
using PropertyAttribute = FsCheck.Xunit.PropertyAttribute;

namespace SupplyChain.Contracts.Tests.Rules;

public sealed class MktTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compute_WorkedExampleOfTheIssue_Is15Point68()
    {
        // 2 h at 20 °C, 4 h at 2 °C, 1 h at 25 °C with ΔH/R = 10 000 K (hub issue, rules section).
        var mkt = Mkt.Compute([(TimeSpan.FromHours(2), 20.0), (TimeSpan.FromHours(4), 2.0), (TimeSpan.FromHours(1), 25.0)]);

        Assert.NotNull(mkt);
        Assert.Equal(15.68, mkt.Value, 0.01);
    }

    [Fact]
    public void Compute_WorkedExampleAsReadings_SameAnswer()
    {
        // Each reading holds until the next; the last one closes the series.
        var mkt = Mkt.Compute([(Start, 20.0), (Start.AddHours(2), 2.0), (Start.AddHours(6), 25.0), (Start.AddHours(7), 25.0)]);

        Assert.Equal(15.68, mkt!.Value, 0.01);
    }

    [Theory]
    [InlineData(-20.0)]
    [InlineData(0.0)]
    [InlineData(5.0)]
    [InlineData(25.0)]
    [InlineData(40.0)]
    public void Compute_ConstantSeries_IsThatTemperature(double celsius)
    {
        var mkt = Mkt.Compute([(TimeSpan.FromMinutes(5), celsius), (TimeSpan.FromHours(3), celsius), (TimeSpan.FromDays(2), celsius)]);

        Assert.Equal(celsius, mkt!.Value, 1e-9);
    }

    [Fact]
    public void Compute_NoTime_Null()
    {
        Assert.Null(Mkt.Compute(Array.Empty<(TimeSpan, double)>()));
        Assert.Null(Mkt.Compute([(TimeSpan.Zero, 5.0)]));
        Assert.Null(Mkt.Compute([(Start, 5.0)]));
    }

    [Fact]
    public void Compute_ZeroDurationIntervals_WeighNothing()
    {
        var mkt = Mkt.Compute([(TimeSpan.FromHours(1), 5.0), (TimeSpan.Zero, 60.0)]);

        Assert.Equal(5.0, mkt!.Value, 1e-9);
    }

    /// <summary>
    /// e^(−ΔH/RT) is convex and increasing below 5 000 K, so by Jensen MKT is at least the time-weighted arithmetic mean
    /// and never outside [min, max].
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Compute_AnySeries_BetweenMeanAndMax() =>
        Prop.ForAll(
            Gen.NonEmptyListOf(Gen.Zip(Gen.Choose(1, 600), Gen.Choose(-400, 600))).ToArbitrary(),
            items =>
            {
                var intervals = items.Select(i => (TimeSpan.FromMinutes(i.Item1), i.Item2 / 10.0)).ToList();
                var mkt = Mkt.Compute(intervals)!.Value;
                var mean = intervals.Sum(i => i.Item1.TotalMinutes * i.Item2) / intervals.Sum(i => i.Item1.TotalMinutes);
                var max = intervals.Max(i => i.Item2);
                return mkt >= mean - 1e-9 && mkt <= max + 1e-9;
            });
}
