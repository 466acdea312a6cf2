using System.Diagnostics;
using System.Globalization;
using SupplyChain.Contracts.Events;
using SupplyChain.Hub.Devices;
using Xunit.Abstractions;

namespace SupplyChain.IntegrationTests.Agent;

/// <summary>
/// Issue #7 item 6, "clock jumps": the real agent under libfaketime (<see cref="FakeTime.Steppable"/>: the wall clock
/// stepped, the monotonic clock untouched, as an NTP step does) starts four months behind with no clock-sync marker, is
/// stepped forward to the true time as its marker appears, back 40 days, then forward to 30 days ahead, scanning and
/// sampling all along, while delivering to the real hub. Nothing may be purged, reordered or rejected for its wall
/// time; each event says whether the clock was synchronised (<c>ct:clockSynced</c>, PROTOCOL.md §2.2), and the station's
/// status reports keep coming after the step back.
/// </summary>
public sealed class AgentClockJumpTests(ITestOutputHelper output)
{
    private const string DeviceId = "line-clock";
    private const string Gtin = "09506000134352";
    private const int Sensors = 2;
    private const int ScansPerPhase = 3;

    private static readonly Phase[] Phases =
    [
        new("4 months behind, not synchronised", TimeSpan.FromDays(-120), Synced: false),
        new("stepped forward to the true time at sync", TimeSpan.Zero, Synced: true),
        new("stepped back 40 days", TimeSpan.FromDays(-40), Synced: true),
        new("stepped forward to 30 days ahead", TimeSpan.FromDays(30), Synced: true),
    ];

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Agent_ClockStepsMonthsEitherWay_NothingLostReorderedOrRejectedAndEventsSayWhetherSynced()
    {
        var watch = Stopwatch.StartNew();
        var start = TimeProvider.System.GetUtcNow();
        await using var hub = await HubProcess.StartAsync();
        await using var agent = await AgentProcess.EnrolAsync(hub, DeviceId, "commissioning", "manufacturer");
        var marker = Path.Combine(agent.Directory, "clock-synchronized");
        var clock = FakeTime.Steppable(agent.Directory, Phases[0].Offset);
        foreach (var (name, value) in clock.Environment)
        {
            agent.ExtraEnvironment[name] = value;
        }

        await agent.StartAsync(Settings(marker));
        var board = hub.Service<DeviceStatusBoard>();
        var serials = new List<(string Serial, int Phase)>();
        for (var p = 0; p < Phases.Length; p++)
        {
            var phase = Phases[p];
            if (p > 0)
            {
                // The marker first, then the step: timesyncd writes its file once it has set the clock, chrony's hook too.
                if (phase.Synced)
                {
                    File.WriteAllText(marker, string.Empty);
                }
                else
                {
                    File.Delete(marker);
                }

                clock.Set(phase.Offset);
            }

            for (var k = 0; k < ScansPerPhase; k++)
            {
                var serial = string.Create(CultureInfo.InvariantCulture, $"JMP{p}{k:D2}");
                serials.Add((serial, p));
                Assert.True(await agent.ScanAsync(Scan(serial)));
            }

            // The phase's scans logged, and a status report made on the phase's clock: reports keep coming after a step back.
            var phaseIndex = p;
            await agent.EventuallyAsync(
                () => hub.DeviceEvents(DeviceId).Count(e => e.Event.Kind == CustodyEventKind.Commissioning) == serials.Count
                    && board.Of(DeviceId)?.Status is { } status
                    && Band(status.Time - TimeProvider.System.GetUtcNow()) == phaseIndex
                    && status.ClockSynced == phase.Synced,
                $"phase '{phase.Name}': scans logged and a status report on its clock",
                state: () => $"status {board.Of(DeviceId)?.Status.Time:O}, {hub.DeviceEvents(DeviceId).Count} events");

            // At least two readings on this phase's clock, so its window holds samples when the next step closes it.
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        // The last window closes on its own (10 s); then everything is delivered.
        await agent.EventuallyAsync(
            () => Reports(hub).Any(r => r.Band == Phases.Length - 1) && agent.TryReadStatus() is { PendingCustody: 0, QueuedSensor: 0, PendingSensor: 0 },
            "the last phase's sensor reports delivered",
            TimeSpan.FromSeconds(60));
        var status = agent.TryReadStatus()!;
        Assert.Equal(0, status.Rejected);
        Assert.Equal(0, status.Gaps);

        // Seq order without a hole: nothing purged, reordered or rejected.
        var events = hub.DeviceEvents(DeviceId);
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (long)i), events.Select(e => e.Event.Device.Seq));
        Assert.Equal(status.NextSeq, events.Count);

        // Every scan once, its time on the clock of its phase, its flag that phase's.
        var scans = events.Where(e => e.Event.Kind == CustodyEventKind.Commissioning).ToList();
        Assert.Equal(serials.Select(s => $"https://id.gs1.org/01/{Gtin}/21/{s.Serial}"), scans.Select(e => Assert.Single(e.Event.Epcs)));
        foreach (var (scan, (serial, p)) in scans.Zip(serials))
        {
            Assert.True(Band(scan.Event.EventTime - start) == p, $"{serial}: event time {scan.Event.EventTime:O} not on the clock of phase {p}");
            Assert.True(scan.Event.Device.ClockSynced == Phases[p].Synced, $"{serial}: ct:clockSynced {scan.Event.Device.ClockSynced} in phase '{Phases[p].Name}'");
        }

        // Every sensor report's samples lie on one phase's clock, and it is flagged as that phase.
        var reports = Reports(hub);
        foreach (var p in Enumerable.Range(0, Phases.Length))
        {
            var ofPhase = reports.Where(r => r.Band == p).ToList();
            Assert.True(ofPhase.Count > 0, $"no sensor report on the clock of phase '{Phases[p].Name}'");
            Assert.All(ofPhase, r => Assert.True(r.Synced == Phases[p].Synced, $"report seq {r.Seq} in phase '{Phases[p].Name}' says ct:clockSynced {r.Synced}"));
        }

        var figure = string.Create(
            CultureInfo.InvariantCulture,
            $"{string.Join(" → ", Phases.Select(p => $"{p.Offset.TotalDays:+0;-0;0} d ({(p.Synced ? "synced" : "unsynced")})"))}: {events.Count} events ({scans.Count} scans, {reports.Count} sensor reports) logged in seq order without a hole, 0 rejected, 0 gaps, every flag right, status reports on every clock; {watch.Elapsed.TotalSeconds:F0} s");
        output.WriteLine(figure);
        ReliabilityRun.Record("Clock jumps (agent under libfaketime)", figure);
    }

    private static string[] Settings(string marker) =>
    [
        "--Station:AssetGiai=9506000134352FRIDGE1",
        $"--Station:ClockSyncMarker={marker}",
        "--Sensors:Sampling:SampleInterval=00:00:01",
        "--Sensors:Sampling:ReportWindow=00:00:10",
        "--Delivery:StatusInterval=00:00:01",
        .. Enumerable.Range(0, Sensors).SelectMany(i => new[] { $"--Sensors:Devices:{i}:Type=simulated", $"--Sensors:Devices:{i}:Id=probe-{i}" }),
    ];

    // The phase whose clock offset lies nearest: the offsets are weeks apart, the test lasts a minute.
    private static int Band(TimeSpan offset) =>
        Enumerable.Range(0, Phases.Length).MinBy(p => Math.Abs((offset - Phases[p].Offset).TotalDays));

    private static List<(long Seq, int Band, bool Synced)> Reports(HubProcess hub) =>
        [.. hub.DeviceEvents(DeviceId)
            .Where(e => e.Event.Kind == CustodyEventKind.SensorReport)
            .Select(e =>
            {
                var samples = (e.Event.Event.SensorElementList ?? []).SelectMany(element => element.SensorReport ?? [])
                    .Where(r => r.Time is not null)
                    .Select(r => DateTimeOffset.Parse(r.Time!, CultureInfo.InvariantCulture)).ToList();
                var bands = samples.Select(t => Band(t - TimeProvider.System.GetUtcNow())).Distinct().ToList();
                Assert.True(bands.Count == 1, $"report seq {e.Event.Device.Seq} has samples on the clocks of phases {string.Join(", ", bands)}");
                return (e.Event.Device.Seq, bands[0], e.Event.Device.ClockSynced);
            })];

    /// <summary>A GS1 element string as a scanner sends it: GTIN, serial, FNC1 (GS), lot, FNC1, expiry (GenSpecs §7.8.5).</summary>
    private static string Scan(string serial) => $"01{Gtin}21{serial}\u001d10LOT42\u001d17301231";

    private sealed record Phase(string Name, TimeSpan Offset, bool Synced);
}
