using Microsoft.Extensions.Time.Testing;
using SupplyChain.Agent.Sensors.Simulated;

namespace SupplyChain.Agent.Tests.Sensors.Simulated;

public sealed class SimulatedSensorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReadAsync_SameSeed_ReplaysTheSameSeries()
    {
        var first = await SeriesAsync(seed: 7);
        var second = await SeriesAsync(seed: 7);
        var other = await SeriesAsync(seed: 8);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task ReadAsync_NoNoise_FollowsBasePlusDrift()
    {
        var time = new FakeTimeProvider(Start);
        var sensor = new SimulatedSensor("sim", new SimulatedSensorOptions { BaseCelsius = 4, DriftCelsiusPerHour = 0.5, NoiseCelsius = 0 }, time);

        Assert.Equal(4.0, await CelsiusAsync(sensor), precision: 10);
        time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(5.0, await CelsiusAsync(sensor), precision: 10);
        Assert.Equal(time.GetUtcNow(), (await sensor.ReadAsync(CancellationToken.None)).Timestamp);
    }

    [Fact]
    public async Task ReadAsync_Excursion_RisesToPeakAtMidpointAndReturns()
    {
        var time = new FakeTimeProvider(Start);
        var options = new SimulatedSensorOptions { BaseCelsius = 5, NoiseCelsius = 0 };
        options.Excursions.Add(new SimulatedExcursion(Start.AddMinutes(10), TimeSpan.FromMinutes(20), PeakCelsius: 12));
        var sensor = new SimulatedSensor("sim", options, time);

        var observed = new List<double>();
        foreach (var minute in new[] { 9, 10, 15, 20, 25, 30, 31 })
        {
            time.SetUtcNow(Start.AddMinutes(minute));
            observed.Add(await CelsiusAsync(sensor));
        }

        Assert.Equal([5.0, 5.0, 8.5, 12.0, 8.5, 5.0, 5.0], observed.Select(c => Math.Round(c, 9)));
    }

    [Fact]
    public async Task ReadAsync_Noise_HasTheConfiguredSpread()
    {
        var time = new FakeTimeProvider(Start);
        var sensor = new SimulatedSensor("sim", new SimulatedSensorOptions { BaseCelsius = 5, NoiseCelsius = 0.2, Seed = 3 }, time);
        var values = new List<double>();
        for (var i = 0; i < 2000; i++)
        {
            values.Add(await CelsiusAsync(sensor));
        }

        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
        Assert.InRange(mean, 4.98, 5.02);
        Assert.InRange(sd, 0.18, 0.22);
    }

    private static async Task<double[]> SeriesAsync(int seed)
    {
        var time = new FakeTimeProvider(Start);
        var sensor = new SimulatedSensor("sim", new SimulatedSensorOptions { Seed = seed }, time);
        var values = new double[5];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = await CelsiusAsync(sensor);
            time.Advance(TimeSpan.FromSeconds(30));
        }

        return values;
    }

    private static async Task<double> CelsiusAsync(SimulatedSensor sensor)
    {
        Assert.True((await sensor.ReadAsync(CancellationToken.None)).TryGetReading(out var reading, out _));
        return reading.Celsius;
    }
}
