using System.Runtime.CompilerServices;

namespace SupplyChain.Agent.Sensors.Sampling;

/// <summary>
/// Reads every sensor once per <see cref="SamplerOptions.SampleInterval"/> (the first time at once), yields a
/// <see cref="RangeAlarm"/> as soon as a reading crosses the range and a <see cref="SensorWindowReport"/> per sensor when a
/// report window closes. When <c>cancellationToken</c> fires, the open window is yielded as partial and the sequence ends,
/// so no sample taken is lost at shutdown.
/// </summary>
internal sealed class SensorSampler
{
    private readonly IReadOnlyList<ITemperatureSensor> _sensors;
    private readonly SamplerOptions _options;
    private readonly TimeProvider _timeProvider;

    public SensorSampler(IReadOnlyList<ITemperatureSensor> sensors, SamplerOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.SampleInterval, TimeSpan.Zero, nameof(options));
        _sensors = sensors;
        _options = options;
        _timeProvider = timeProvider;
    }

    public async IAsyncEnumerable<SamplerEvent> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var aggregator = new ReportWindowAggregator(_options.ReportWindow, _sensors.Select(s => s.SensorId));
        var detectors = _sensors.ToDictionary(
            s => s.SensorId,
            _ => new OutOfRangeDetector(_options.MinCelsius, _options.MaxCelsius, _options.HysteresisCelsius),
            StringComparer.Ordinal);
        using var timer = new PeriodicTimer(_options.SampleInterval, _timeProvider);
        var running = true;
        while (running)
        {
            foreach (var report in aggregator.Roll(_timeProvider.GetUtcNow()))
            {
                yield return report;
            }

            foreach (var sensor in _sensors)
            {
                var result = await ReadOrCancelledAsync(sensor, cancellationToken).ConfigureAwait(false);
                if (result is not { } read)
                {
                    running = false;
                    break;
                }

                aggregator.Add(read);
                if (read.TryGetReading(out var reading, out _) && detectors[sensor.SensorId].Evaluate(reading) is { } alarm)
                {
                    yield return alarm;
                }
            }

            running = running && await TickOrCancelledAsync(timer, cancellationToken).ConfigureAwait(false);
        }

        foreach (var report in aggregator.Flush())
        {
            yield return report;
        }
    }

    private static async ValueTask<SensorReadResult?> ReadOrCancelledAsync(ITemperatureSensor sensor, CancellationToken cancellationToken)
    {
        try
        {
            return await sensor.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async ValueTask<bool> TickOrCancelledAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
