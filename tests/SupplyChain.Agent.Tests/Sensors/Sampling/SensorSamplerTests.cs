using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using SupplyChain.Agent.Sensors;
using SupplyChain.Agent.Sensors.Sampling;
using SupplyChain.Agent.Sensors.Simulated;

namespace SupplyChain.Agent.Tests.Sensors.Sampling;

public sealed class SensorSamplerTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_ExcursionAndFaults_YieldsAlarmsAtOnceAndWindowsAtTheirEnd()
    {
        var time = new FakeTimeProvider(Noon);
        var options = new SimulatedSensorOptions { BaseCelsius = 5, NoiseCelsius = 0 };
        // Rises from 5 °C to 11 °C at 12:04 and back by 12:06: above 8 °C from 12:03 to 12:05.
        options.Excursions.Add(new SimulatedExcursion(Noon.AddMinutes(2), TimeSpan.FromMinutes(4), 11));
        using var fridge = new SignallingSensor(new SimulatedSensor("fridge", options, time));
        using var broken = new SignallingSensor(new FaultySensor("door", time));
        var sampler = new SensorSampler([fridge, broken], new SamplerOptions { SampleInterval = TimeSpan.FromSeconds(30), ReportWindow = TimeSpan.FromMinutes(5), HysteresisCelsius = 0 }, time);
        using var cts = new CancellationTokenSource();
        var events = new ConcurrentQueue<(DateTimeOffset SeenAt, SamplerEvent Event)>();
        var run = Task.Run(async () =>
        {
            await foreach (var e in sampler.RunAsync(cts.Token))
            {
                events.Enqueue((time.GetUtcNow(), e));
            }
        });

        await broken.WaitForReadsAsync(1);
        for (var tick = 1; tick <= 14; tick++) // up to 12:07:00
        {
            time.Advance(TimeSpan.FromSeconds(30));
            await broken.WaitForReadsAsync(tick + 1);
        }

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var alarms = events.Where(e => e.Event is RangeAlarm).Select(e => (e.SeenAt, ((RangeAlarm)e.Event).Kind)).ToList();
        Assert.Equal([(Noon.AddMinutes(3).AddSeconds(30), RangeAlarmKind.TooWarm), (Noon.AddMinutes(5), RangeAlarmKind.BackInRange)], alarms);

        var windows = events.Select(e => e.Event).OfType<SensorWindowReport>().ToList();
        var first = windows.Single(w => w.SensorId == "fridge" && !w.IsPartial);
        Assert.Equal(Noon, first.WindowStart);
        Assert.Equal(10, first.Samples.Count); // 12:00:00 .. 12:04:30
        Assert.Equal(11.0, first.MaxCelsius!.Value, precision: 9);
        Assert.Equal(5.0, first.MinCelsius!.Value, precision: 9);
        var door = windows.Single(w => w.SensorId == "door" && !w.IsPartial);
        Assert.Equal(10, door.FaultCount);
        Assert.Empty(door.Samples);

        var partial = windows.Single(w => w.SensorId == "fridge" && w.IsPartial);
        Assert.Equal(Noon.AddMinutes(5), partial.WindowStart);
        Assert.Equal(5, partial.Samples.Count); // 12:05:00 .. 12:07:00
    }

    [Fact]
    public async Task RunAsync_CancelledBeforeStart_ReportsTheOpenWindowAndEnds()
    {
        var time = new FakeTimeProvider(Noon);
        var sampler = new SensorSampler([new SimulatedSensor("s", new SimulatedSensorOptions(), time)], new SamplerOptions(), time);

        var events = new List<SamplerEvent>();
        await foreach (var e in sampler.RunAsync(new CancellationToken(canceled: true)))
        {
            events.Add(e);
        }

        var report = Assert.IsType<SensorWindowReport>(Assert.Single(events));
        Assert.True(report.IsPartial);
        Assert.Empty(report.Samples);
    }

    /// <summary>Lets the test wait until the sampler has read a sensor n times.</summary>
    private sealed class SignallingSensor(ITemperatureSensor inner) : ITemperatureSensor, IDisposable
    {
        private readonly SemaphoreSlim _reads = new(0);
        private int _seen;

        public string SensorId => inner.SensorId;

        public async ValueTask<SensorReadResult> ReadAsync(CancellationToken cancellationToken)
        {
            var result = await inner.ReadAsync(cancellationToken);
            _reads.Release();
            return result;
        }

        public async Task WaitForReadsAsync(int count)
        {
            while (_seen < count)
            {
                Assert.True(await _reads.WaitAsync(TimeSpan.FromSeconds(10)), "the sampler did not read in time");
                _seen++;
            }
        }

        public void Dispose() => _reads.Dispose();
    }

    private sealed class FaultySensor(string id, TimeProvider time) : ITemperatureSensor
    {
        public string SensorId => id;

        public ValueTask<SensorReadResult> ReadAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(SensorReadResult.Failure(id, time.GetUtcNow(), SensorFaultReason.Missing, "unplugged"));
    }
}
