using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplyChain.Agent.Sensors;
using SupplyChain.Agent.Sensors.Sampling;
using SupplyChain.Agent.Station;
using SupplyChain.Contracts.Events;

namespace SupplyChain.Agent.Tests.Station;

public sealed class SensorReportingServiceTests
{
    private const string Asset = "https://id.gs1.org/8004/9506000134352FRIDGE1";
    private const string Site = "https://id.gs1.org/414/9506000134383";

    [Fact]
    public async Task Run_SimulatedFridge_OneReportPerWindowQueuedAsSensorEvents()
    {
        using var harness = new StationHarness("storage");
        harness.Options.AssetGiai = "9506000134352FRIDGE1";
        var sensors = new SensorsOptions();
        sensors.Devices.Add(new SensorDeviceOptions { Type = "simulated", Id = "fridge-1" });
        var sampling = new SamplerOptions { SampleInterval = TimeSpan.FromSeconds(30), ReportWindow = TimeSpan.FromMinutes(5) };
        using var service = Create(harness, sensors, sampling);

        await service.StartAsync(CancellationToken.None);
        for (var i = 0; i < 2 * 10 + 2; i++)
        {
            // Lets the sampler loop reach its next timer wait before the fake clock moves.
            await Task.Delay(5);
            harness.Fixture.Time.Advance(TimeSpan.FromSeconds(30));
        }

        await WaitUntilAsync(() => harness.Fixture.Outbox.ReadStatus().QueuedSensor >= 2);
        await service.StopAsync(CancellationToken.None);

        var events = harness.Events();
        Assert.All(events, e => Assert.Equal(CustodyEventKind.SensorReport, e.Kind));
        Assert.All(events, e => Assert.Equal([Asset], e.Epcs));
        Assert.True(events.Count >= 2);
    }

    [Fact]
    public async Task Run_SimulatedFridgeWithConfiguredExcursion_QueuesAnAlarm()
    {
        using var harness = new StationHarness("storage");
        harness.Options.AssetGiai = "9506000134352FRIDGE1";
        var sensors = new SensorsOptions();
        var fridge = new SensorDeviceOptions { Type = "simulated", Id = "fridge-1", BaseCelsius = 5 };
        fridge.Excursions.Add(new SimulatedExcursionOptions
        {
            StartAfter = TimeSpan.FromMinutes(1),
            Duration = TimeSpan.FromMinutes(4),
            PeakCelsius = 15,
        });
        sensors.Devices.Add(fridge);
        var sampling = new SamplerOptions { SampleInterval = TimeSpan.FromSeconds(30), ReportWindow = TimeSpan.FromMinutes(5) };
        using var service = Create(harness, sensors, sampling);

        await service.StartAsync(CancellationToken.None);
        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(5);
            harness.Fixture.Time.Advance(TimeSpan.FromSeconds(30));
        }

        await WaitUntilAsync(() => harness.Fixture.Outbox.ReadStatus().QueuedSensor >= 1);
        await service.StopAsync(CancellationToken.None);

        // Peak 15 °C at 3 min over a 5 °C base: above 8 °C from 2.2 min on, so the read at 2.5 min raises the alarm.
        var alarm = Assert.Single(harness.Events(), e => e.Kind == CustodyEventKind.SensorAlarm);
        Assert.Equal([Asset], alarm.Epcs);
    }

    [Fact]
    public void ToDraft_TooWarm_AlarmWithConfiguredRange()
    {
        using var harness = new StationHarness("storage");
        using var service = Create(harness, new SensorsOptions(), new SamplerOptions());
        var at = harness.Fixture.Time.GetUtcNow();

        var draft = service.ToDraft(new RangeAlarm("fridge-1", at, RangeAlarmKind.TooWarm, 8.41234, 2, 8), Site, Asset, new SamplerOptions());

        Assert.NotNull(draft);
        Assert.True(draft.IsAlarm);
        Assert.Equal(8.412m, draft.Samples[0].Celsius);
        Assert.Equal((2m, 8m), (draft.LowerLimit, draft.UpperLimit));
    }

    [Fact]
    public void ToDraft_BackInRangeOrNoReadings_Nothing()
    {
        using var harness = new StationHarness("storage");
        using var service = Create(harness, new SensorsOptions(), new SamplerOptions());
        var at = harness.Fixture.Time.GetUtcNow();
        var empty = new SensorWindowReport("fridge-1", at, at.AddMinutes(5), [], null, null, null, 10, new Dictionary<SensorFaultReason, int> { [SensorFaultReason.Missing] = 10 }, false);

        Assert.Null(service.ToDraft(new RangeAlarm("fridge-1", at, RangeAlarmKind.BackInRange, 5, 2, 8), Site, Asset, new SamplerOptions()));
        Assert.Null(service.ToDraft(empty, Site, Asset, new SamplerOptions()));
    }

    [Fact]
    public void AssetOf_Transport_ContainerSscc()
    {
        var options = new StationOptions { Role = "transport", ContainerSscc = StationHarness.Sscc, AssetGiai = "9506000134352FRIDGE1" };

        Assert.Equal("https://id.gs1.org/00/" + StationHarness.Sscc, SensorReportingService.AssetOf(options));
    }

    private static SensorReportingService Create(StationHarness harness, SensorsOptions sensors, SamplerOptions sampling) =>
        new(Options.Create(sensors), Options.Create(sampling), Options.Create(harness.Options), harness.Fixture.Outbox, harness.Fixture.Time, NullLogger<SensorReportingService>.Instance);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
