namespace SupplyChain.Agent.Sensors.Simulated;

/// <summary>
/// A sensor for demos and tests: base temperature plus linear drift, seeded Gaussian noise and scheduled excursions,
/// all driven by the injected clock so a <c>FakeTimeProvider</c> replays the same series every time.
/// Overlapping excursions take the one that pulls furthest from the baseline.
/// </summary>
internal sealed class SimulatedSensor : ITemperatureSensor
{
    private readonly SimulatedSensorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly DateTimeOffset _origin;

    public SimulatedSensor(string sensorId, SimulatedSensorOptions options, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sensorId);
        ArgumentNullException.ThrowIfNull(options);
        SensorId = sensorId;
        _options = options;
        _timeProvider = timeProvider;
        _random = new Random(options.Seed);
        _origin = timeProvider.GetUtcNow();
    }

    public string SensorId { get; }

    public ValueTask<SensorReadResult> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();
        var celsius = Baseline(now) + ExcursionOffset(now) + (_options.NoiseCelsius * NextGaussian());
        return ValueTask.FromResult(SensorReadResult.Success(new TemperatureReading(SensorId, now, celsius)));
    }

    /// <summary>The noiseless temperature at <paramref name="now"/>: what the noise is added to.</summary>
    public double Expected(DateTimeOffset now) => Baseline(now) + ExcursionOffset(now);

    private double Baseline(DateTimeOffset now) =>
        _options.BaseCelsius + (_options.DriftCelsiusPerHour * (now - _origin).TotalHours);

    private double ExcursionOffset(DateTimeOffset now)
    {
        var offset = 0.0;
        foreach (var excursion in _options.Excursions)
        {
            var candidate = (excursion.PeakCelsius - Baseline(excursion.Start + (excursion.Duration / 2))) * excursion.Weight(now);
            if (Math.Abs(candidate) > Math.Abs(offset))
            {
                offset = candidate;
            }
        }

        return offset;
    }

    // Box–Muller: two uniforms to one standard normal.
    private double NextGaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
