using SupplyChain.Agent.Sensors;
using SupplyChain.Agent.Sensors.Sampling;

namespace SupplyChain.Agent.Tests.Sensors.Sampling;

public sealed class ReportWindowAggregatorTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Roll_FirstCall_OpensTheAlignedWindowAndReportsNothing()
    {
        var aggregator = new ReportWindowAggregator(TimeSpan.FromMinutes(5), ["a"]);

        Assert.Empty(aggregator.Roll(Noon.AddMinutes(7).AddSeconds(13)));
        Assert.Equal(Noon.AddMinutes(5), aggregator.WindowStart);
        Assert.Equal(Noon.AddMinutes(10), aggregator.WindowEnd);
    }

    [Fact]
    public void Roll_PastWindowEnd_ReportsMinMaxMeanSamplesAndFaultsPerSensor()
    {
        var aggregator = new ReportWindowAggregator(TimeSpan.FromMinutes(5), ["a", "b"]);
        aggregator.Roll(Noon);
        aggregator.Add(Ok("a", Noon, 4.0));
        aggregator.Add(Ok("a", Noon.AddMinutes(1), 6.0));
        aggregator.Add(Ok("a", Noon.AddMinutes(2), 5.5));
        aggregator.Add(Fault("a", Noon.AddMinutes(3), SensorFaultReason.BadCrc));
        aggregator.Add(Fault("b", Noon, SensorFaultReason.Missing));
        aggregator.Add(Fault("b", Noon.AddMinutes(1), SensorFaultReason.Missing));

        Assert.Empty(aggregator.Roll(Noon.AddMinutes(4).AddSeconds(59)));
        var reports = aggregator.Roll(Noon.AddMinutes(5));

        var a = reports.Single(r => r.SensorId == "a");
        Assert.Equal((Noon, Noon.AddMinutes(5)), (a.WindowStart, a.WindowEnd));
        Assert.Equal([4.0, 6.0, 5.5], a.Samples.Select(s => s.Celsius));
        Assert.Equal(4.0, a.MinCelsius);
        Assert.Equal(6.0, a.MaxCelsius);
        Assert.Equal(5.166666, a.MeanCelsius!.Value, precision: 5);
        Assert.Equal(1, a.FaultCount);
        Assert.Equal(1, a.FaultsByReason[SensorFaultReason.BadCrc]);
        Assert.False(a.IsPartial);

        var b = reports.Single(r => r.SensorId == "b");
        Assert.Empty(b.Samples);
        Assert.Null(b.MinCelsius);
        Assert.Null(b.MeanCelsius);
        Assert.Equal(2, b.FaultCount);
        Assert.Equal(2, b.FaultsByReason[SensorFaultReason.Missing]);
    }

    [Fact]
    public void Roll_NextWindow_StartsEmpty()
    {
        var aggregator = new ReportWindowAggregator(TimeSpan.FromMinutes(5), ["a"]);
        aggregator.Roll(Noon);
        aggregator.Add(Ok("a", Noon, 4.0));
        aggregator.Roll(Noon.AddMinutes(5));
        aggregator.Add(Ok("a", Noon.AddMinutes(5), 7.0));

        var report = Assert.Single(aggregator.Roll(Noon.AddMinutes(10)));

        Assert.Equal(Noon.AddMinutes(5), report.WindowStart);
        Assert.Equal([7.0], report.Samples.Select(s => s.Celsius));
        Assert.Equal(0, report.FaultCount);
    }

    [Fact]
    public void Roll_ClockJumpedBack_ClosesTheWindowAsPartial()
    {
        var aggregator = new ReportWindowAggregator(TimeSpan.FromMinutes(5), ["a"]);
        aggregator.Roll(Noon);
        aggregator.Add(Ok("a", Noon, 4.0));

        var report = Assert.Single(aggregator.Roll(Noon.AddHours(-3)));

        Assert.True(report.IsPartial);
        Assert.Equal([4.0], report.Samples.Select(s => s.Celsius));
        Assert.Equal(Noon.AddHours(-3), aggregator.WindowStart);
    }

    [Fact]
    public void Flush_OpenWindow_ReportsItAsPartialOnce()
    {
        var aggregator = new ReportWindowAggregator(TimeSpan.FromMinutes(5), ["a"]);
        aggregator.Roll(Noon);
        aggregator.Add(Ok("a", Noon, 4.0));

        var report = Assert.Single(aggregator.Flush());

        Assert.True(report.IsPartial);
        Assert.Empty(aggregator.Flush());
    }

    [Fact]
    public void Add_BeforeRoll_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new ReportWindowAggregator(TimeSpan.FromMinutes(5), ["a"]).Add(Ok("a", Noon, 1)));

    private static SensorReadResult Ok(string id, DateTimeOffset at, double celsius) =>
        SensorReadResult.Success(new TemperatureReading(id, at, celsius));

    private static SensorReadResult Fault(string id, DateTimeOffset at, SensorFaultReason reason) =>
        SensorReadResult.Failure(id, at, reason, "test");
}
