using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SupplyChain.Agent.Sensors.Sampling;
using SupplyChain.Agent.Station;
using SupplyChain.Contracts.Events;

namespace SupplyChain.Agent.Tests.Station;

/// <summary><c>ct:clockSynced</c> of sensor reports when the clock becomes synchronised mid-window (issue #7 "clock jumps").</summary>
public sealed class SensorReportingClockSyncTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("coldtrace-sync-");

    [Fact]
    public async Task Run_ClockSynchronisedMidWindow_ThatWindowsReportUnsyncedTheNextSynced()
    {
        using var harness = new StationHarness("storage");
        harness.Options.AssetGiai = "9506000134352FRIDGE1";
        harness.Fixture.ClockSynced = false;
        var marker = Path.Combine(_directory.FullName, "synchronized");
        var sensors = new SensorsOptions();
        sensors.Devices.Add(new SensorDeviceOptions { Type = "simulated", Id = "fridge-1" });
        var sampling = new SamplerOptions { SampleInterval = TimeSpan.FromSeconds(30), ReportWindow = TimeSpan.FromMinutes(5) };
        using var service = new SensorReportingService(
            Options.Create(sensors),
            Options.Create(sampling),
            Options.Create(harness.Options),
            harness.Fixture.Outbox,
            harness.Fixture.Time,
            NullLogger<SensorReportingService>.Instance,
            clock: new ClockSync(marker));

        // The window 02:00-02:05 opens unsynchronised; at 02:02 the clock is synchronised; the windows close at 02:05
        // and 02:10.
        await service.StartAsync(CancellationToken.None);
        await AdvanceAsync(harness, 4);
        File.WriteAllText(marker, string.Empty);
        harness.Fixture.ClockSynced = true;
        await AdvanceAsync(harness, 18);
        await WaitUntilAsync(() => harness.Fixture.Outbox.ReadStatus().QueuedSensor >= 2);
        await service.StopAsync(CancellationToken.None);

        var reports = harness.Events().Where(e => e.Kind == CustodyEventKind.SensorReport).ToList();
        Assert.True(reports.Count >= 2);
        Assert.False(reports[0].Device.ClockSynced);
        Assert.True(reports[1].Device.ClockSynced);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static async Task AdvanceAsync(StationHarness harness, int samples)
    {
        for (var i = 0; i < samples; i++)
        {
            // Lets the sampler loop reach its next timer wait before the fake clock moves.
            await Task.Delay(5);
            harness.Fixture.Time.Advance(TimeSpan.FromSeconds(30));
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
