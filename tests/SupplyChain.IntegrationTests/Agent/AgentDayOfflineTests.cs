using System.Diagnostics;
using System.Globalization;
using SupplyChain.Contracts.Events;
using Xunit.Abstractions;

namespace SupplyChain.IntegrationTests.Agent;

/// <summary>
/// Issue #7 item 4, "a day offline": the real agent buffers scans and 1-minute readings of 8 sensors while its broker is
/// down, then reconnects to the real hub. The day is accelerated, not waited for: the buffering run is the agent under
/// libfaketime (<see cref="FakeTime.Accelerated"/>), its wall clock, monotonic clock and timers all running 360 times
/// faster from its first instruction, so its own sampler takes a reading per sensor per simulated minute and its own outbox stores them. The
/// reconnect runs in real time on the same data directory (the agent is restarted without faketime, broker still down,
/// then the hub comes back), because pacing and "live within seconds" are claims about real seconds.
/// </summary>
public sealed class AgentDayOfflineTests(ITestOutputHelper output)
{
    private const string DeviceId = "line-day";
    private const string Gtin = "09506000134352";
    private const int Sensors = 8;
    private const int Speed = 360;
    private const int DrainMessagesPerSecond = 20;

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Agent_DayOfflineThenReconnect_CustodyFirstPacedDrainLiveScanFlowsOrderHolds()
    {
        var simulated = ReliabilityRun.Pick(TimeSpan.FromHours(2), TimeSpan.FromHours(24));

        // The short run's backlog is small, so it is drained in messages of 8 to last long enough to scan into.
        var envelopesPerMessage = ReliabilityRun.Pick(8, 64);
        var scanEvery = TimeSpan.FromMilliseconds(150);
        await using var hub = await HubProcess.StartAsync();
        await using var agent = await AgentProcess.EnrolAsync(hub, DeviceId, "commissioning", "manufacturer", Settings(envelopesPerMessage));
        await hub.StopAsync();

        // Offline: the broker port is closed; reconnect attempts back off up to 5 simulated minutes (under a second real).
        foreach (var (name, value) in FakeTime.Accelerated(-simulated, Speed).Environment)
        {
            agent.ExtraEnvironment[name] = value;
        }

        await agent.StartAsync("--Delivery:BackoffInitial=00:00:30", "--Delivery:BackoffMax=00:05:00");
        var offline = Stopwatch.StartNew();
        var realDuration = simulated / Speed;
        var scanned = 0;
        while (offline.Elapsed < realDuration)
        {
            Assert.True(await agent.ScanAsync(Scan($"DAY{scanned++:D5}")), "agent gone: " + agent.Output);
            await Task.Delay(scanEvery);
        }

        await agent.EventuallyAsync(() => agent.ReadSignals().Count(s => s.IsGreenEvent) == scanned, "every offline scan green");
        var buffered = await ReadStatusAsync(agent);
        var greens = agent.ReadSignals().Where(s => s.IsGreenEvent).ToList();
        await agent.KillAsync();
        Assert.Equal(scanned, buffered.PendingCustody);
        Assert.Equal(0, buffered.Gaps);
        Assert.Null(buffered.LastAckSeq);
        var custody = (int)buffered.PendingCustody;
        var queued = (int)buffered.QueuedSensor;

        // The offline events hold seqs 0 .. custody + queued - 1 once chained, plus one for the live scan among them.
        var lastOffline = custody + queued;

        // Back online, in real time: the agent starts with the broker still down, then the hub comes back.
        agent.ExtraEnvironment.Clear();
        // The agent's "Connected to broker" line marks when it may start sending: the pace is measured from there.
        await agent.StartAsync("--Logging:LogLevel:SupplyChain.Agent.Delivery.DeliveryService=Information");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var hubBack = Stopwatch.GetTimestamp();
        await hub.RestartAsync();
        var online = Stopwatch.StartNew();
        var onlineAt = Stopwatch.GetTimestamp();

        TimeSpan? firstAck = null, custodyAcked = null, liveAcked = null, drained = null;
        long liveSeq = -1;
        var liveScanAt = TimeSpan.Zero;
        while (drained is null || liveAcked is null)
        {
            Assert.True(online.Elapsed < TimeSpan.FromSeconds(180), $"backlog not drained in time: {agent.TryReadStatus()}; agent said {agent.Output}");
            await Task.Delay(50);
            if (agent.TryReadStatus() is not { LastAckSeq: { } acked })
            {
                continue;
            }

            if (firstAck is null)
            {
                // The first answer is in: a live scan now, while the backlog drains.
                firstAck = online.Elapsed;
                liveScanAt = online.Elapsed;
                Assert.True(await agent.ScanAsync(Scan("LIVE00001")));
                await agent.EventuallyAsync(() => agent.ReadSignals().Count(s => s.IsGreenEvent) == scanned + 1, "live scan green");
                liveSeq = agent.ReadSignals().Last(s => s.IsGreenEvent).Seq!.Value;
                continue;
            }

            custodyAcked ??= acked >= custody - 1 ? online.Elapsed : null;
            liveAcked ??= acked >= liveSeq ? online.Elapsed : null;
            drained ??= acked >= lastOffline ? online.Elapsed : null;
        }

        await agent.EventuallyAsync(() => agent.TryReadStatus() is { PendingCustody: 0, QueuedSensor: 0, PendingSensor: 0 }, "outbox empty");
        var final = (await ReadStatusAsync(agent))!;
        Assert.Equal(0, final.Rejected);
        Assert.Equal(0, final.Gaps);

        // The hub's log: this device's events in seq order without a hole, the offline custody events first, then the
        // sensor backlog, the live scan among it rather than behind it.
        var events = hub.DeviceEvents(DeviceId);
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (long)i), events.Select(e => e.Event.Device.Seq));
        Assert.Equal(final.NextSeq, events.Count);
        Assert.Equal(greens.Select(g => g.EventId!.Value), events.Take(custody).Select(e => e.Id));
        Assert.InRange(liveSeq, custody, lastOffline - 1);
        Assert.Equal(CustodyEventKind.Commissioning, events[(int)liveSeq].Event.Kind);
        var offlineReports = events.Take(lastOffline + 1).Skip(custody).Where(e => e.Event.Device.Seq != liveSeq).ToList();
        Assert.Equal(queued, offlineReports.Count);
        Assert.All(offlineReports, e => Assert.Equal(CustodyEventKind.SensorReport, e.Event.Kind));

        // The readings the agent took while offline: one per sensor and simulated minute, as far as it kept up.
        var readings = offlineReports.SelectMany(e => e.Event.Event.SensorElementList ?? []).Select(element => element.SensorReport?.Count(r => r.Time is not null) ?? 0).Sum();
        var span = offlineReports.Max(e => e.Event.EventTime) - offlineReports.Min(e => e.Event.EventTime);
        var coverage = readings / (Sensors * (span.TotalMinutes + 5));
        Assert.True(span >= simulated * 0.8, $"the offline reports span {span}, not the {simulated} simulated");

        // How many of the simulated minutes got their reading is recorded, not asserted: it measures the acceleration (the
        // sampler's minute is 167 ms real at x360 on a shared machine), not the agent.

        // Pacing: the drain may not beat the configured message rate (a 25 % margin for timer granularity).
        // Measured from the agent's connect, not from the first ack: on a loaded machine the hub's first answers come late
        // and then in a burst, which made the span from first to last ack shorter than the agent's sending (267 events/s
        // "measured" against a pace of 160 in one CI run).
        var backlog = lastOffline + 1;
        var connects = agent.OutputLines.Where(line => line.Timestamp >= hubBack && line.Line.Contains("Connected to broker", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(connects);
        var sendingFrom = Stopwatch.GetElapsedTime(onlineAt, connects[0].Timestamp);
        var rate = backlog / Math.Max((drained!.Value - sendingFrom).TotalSeconds, 0.001);
        var limit = (double)DrainMessagesPerSecond * envelopesPerMessage;
        Assert.True(rate <= limit * 1.25, $"drain at {rate:F0} events/s, faster than the paced {limit} events/s");
        var liveLatency = liveAcked!.Value - liveScanAt;
        // It waits behind the offline custody events only (never reordered), not behind the sensor backlog. The bound is
        // for a loaded shared machine (2.5 s measured at load average 19; 8 s and 21 s with builds running beside).
        Assert.True(liveLatency < TimeSpan.FromSeconds(30), $"live scan acknowledged after {liveLatency.TotalSeconds:F1} s");

        var figure = string.Concat(
            string.Create(CultureInfo.InvariantCulture, $"{simulated.TotalHours:F0} h offline simulated at x{Speed} under libfaketime ({realDuration.TotalSeconds:F0} s real): {custody} scans and {readings} readings "),
            string.Create(CultureInfo.InvariantCulture, $"in {queued} sensor reports buffered ({coverage:P0} of one per sensor-minute over {span.TotalHours:F1} h); after the hub came back: first custody ack at "),
            string.Create(CultureInfo.InvariantCulture, $"{firstAck!.Value.TotalSeconds:F1} s, all {custody} custody acked at {custodyAcked!.Value.TotalSeconds:F1} s, a live scan made at the first ack acked "),
            string.Create(CultureInfo.InvariantCulture, $"{liveLatency.TotalSeconds:F2} s later (seq {liveSeq}, ahead of {lastOffline - liveSeq} backlog reports), backlog of {backlog} drained at "),
            string.Create(CultureInfo.InvariantCulture, $"{drained.Value.TotalSeconds:F1} s, {rate:F0} events/s (paced at {DrainMessagesPerSecond} messages/s x {envelopesPerMessage} = {limit:F0}); "),
            "seq order held, 0 rejected, 0 gaps");
        output.WriteLine(figure);
        ReliabilityRun.Record("A day offline (agent, 8 sensors + scans)", figure);
    }

    // Readings every simulated minute, reported in the default 5-minute windows.
    private static string[] Settings(int envelopesPerMessage) =>
    [
        "--Station:AssetGiai=9506000134352FRIDGE1",
        "--Sensors:Sampling:SampleInterval=00:01:00",
        "--Sensors:Sampling:ReportWindow=00:05:00",
        $"--Delivery:DrainMessagesPerSecond={DrainMessagesPerSecond}",
        $"--Delivery:MaxEnvelopesPerMessage={envelopesPerMessage}",
        .. Enumerable.Range(0, Sensors).SelectMany(i => new[] { $"--Sensors:Devices:{i}:Type=simulated", $"--Sensors:Devices:{i}:Id=probe-{i}" }),
    ];

    private static async Task<SupplyChain.Agent.Outbox.OutboxStatus> ReadStatusAsync(AgentProcess agent)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (agent.TryReadStatus() is { } status)
            {
                return status;
            }

            Assert.True(attempt < 100, "outbox status unreadable");
            await Task.Delay(50);
        }
    }

    /// <summary>A GS1 element string as a scanner sends it: GTIN, serial, FNC1 (GS), lot, FNC1, expiry (GenSpecs §7.8.5).</summary>
    private static string Scan(string serial) => $"01{Gtin}21{serial}\u001d10LOT42\u001d17301231";
}
