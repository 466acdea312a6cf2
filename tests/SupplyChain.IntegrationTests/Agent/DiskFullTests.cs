using System.Diagnostics;
using System.Text.Json;
using SupplyChain.Contracts.Events;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Storage;
using Xunit.Abstractions;

namespace SupplyChain.IntegrationTests.Agent;

/// <summary>
/// Issue #7 item 5, "disk full and corrupt store" (docs/RELIABILITY.md "Disk full and corrupt stores"): the real agent
/// and the real hub with their data directories on a real small tmpfs that a filler file fills and its deletion frees,
/// and an agent started on a damaged outbox file. Nothing is restarted to recover from a full disk.
/// </summary>
public sealed class DiskFullTests(ITestOutputHelper output)
{
    private const string Gtin = "09506000134352";
    private const long Leave = 64 * 1024;

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Agent_DataDirectoryFills_ScansRedSensorGapsCountedThenRecoversAndEveryGreenLoggedOnceInOrder()
    {
        var watch = Stopwatch.StartNew();
        var perPhase = ReliabilityRun.Pick(6, 40);
        using var disk = new Tmpfs(3 * 1024 * 1024);
        var statusPort = FreePort();
        await using var hub = await HubProcess.StartAsync();
        await using var agent = await AgentProcess.EnrolOnAsync(
            hub,
            Path.Combine(disk.Path, "agent"),
            "commission-full",
            "commissioning",
            "manufacturer",
            $"--Status:Port={statusPort}",
            "--Station:AssetGiai=9506000134352FRIDGE1",
            "--Sensors:Devices:0:Type=simulated",
            "--Sensors:Devices:0:Id=probe-0",
            "--Sensors:Devices:1:Type=simulated",
            "--Sensors:Devices:1:Id=probe-1",
            "--Sensors:Sampling:SampleInterval=00:00:01",
            "--Sensors:Sampling:ReportWindow=00:00:10");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{statusPort}"), Timeout = TimeSpan.FromSeconds(10) };
        await agent.StartAsync();
        var next = 0;

        // Room: green.
        await ScanAsync(agent, perPhase, next);
        next += perPhase;
        await agent.EventuallyAsync(() => agent.ReadSignals().Count == perPhase, "first scans signalled");

        // Full: every scan red with the reason, sensor reports counted as gaps, the outbox closed to new events.
        disk.Fill(Leave);
        var before = agent.ReadSignals().Count;
        await ScanAsync(agent, perPhase, next);
        var refused = Enumerable.Range(next, perPhase).Select(Serial).ToList();
        next += perPhase;
        await agent.EventuallyAsync(() => agent.ReadSignals().Count == before + perPhase, "full-disk scans signalled");
        var whileFull = agent.ReadSignals().Skip(before).ToList();
        Assert.All(whileFull, line => Assert.True(line.Signal == "red" && line.Text.Contains(" red disk_full: ", StringComparison.Ordinal), line.Text));
        JsonElement fullStatus = default;
        await agent.EventuallyAsync(
            () => (fullStatus = ReadStatus(http)).GetProperty("outbox").GetProperty("gaps").GetInt64() > 0,
            "a sensor report counted as a gap",
            TimeSpan.FromSeconds(60),
            () => fullStatus.ToString());
        Assert.StartsWith("disk_full: ", fullStatus.GetProperty("outbox").GetProperty("unavailable").GetString(), StringComparison.Ordinal);
        Assert.False(fullStatus.GetProperty("healthy").GetBoolean());
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("coldtrace_agent_outbox_writable 0", metrics, StringComparison.Ordinal);
        var gapsWhileFull = fullStatus.GetProperty("outbox").GetProperty("gaps").GetInt64();

        // Room again: the agent takes events by itself, and everything green reaches the hub.
        var freed = Stopwatch.StartNew();
        disk.Unfill();
        await agent.EventuallyAsync(() => !ReadStatus(http).GetProperty("outbox").TryGetProperty("unavailable", out _), "outbox writable again");
        var recovered = freed.Elapsed;
        before = agent.ReadSignals().Count;
        await ScanAsync(agent, perPhase, next);
        next += perPhase;
        await agent.EventuallyAsync(() => agent.ReadSignals().Count == before + perPhase, "scans after recovery signalled");
        var signals = agent.ReadSignals();
        Assert.All(signals.Take(perPhase).Concat(signals.Skip(before)), line => Assert.True(line.IsGreenEvent, line.Text));

        JsonElement done = default;
        await agent.EventuallyAsync(
            () => (done = ReadStatus(http).GetProperty("outbox")) is var o && o.GetProperty("pendingCustody").GetInt64() == 0
                && o.GetProperty("pendingSensor").GetInt64() + o.GetProperty("queuedSensor").GetInt64() == 0
                && hub.DeviceEvents(agent.DeviceId).Count == o.GetProperty("nextSeq").GetInt64(),
            "everything delivered",
            TimeSpan.FromSeconds(90),
            () => done.ToString());

        // The device's events in the log: seq 0, 1, 2, … once each; every green at its seq; no refused scan at all.
        var logged = hub.DeviceEvents(agent.DeviceId);
        Assert.Equal(Enumerable.Range(0, logged.Count).Select(i => (long)i), logged.Select(e => e.Event.Device.Seq));
        var greens = signals.Where(s => s.IsGreenEvent).ToList();
        Assert.Equal(2 * perPhase, greens.Count);
        var bySeq = logged.ToDictionary(e => e.Event.Device.Seq);
        foreach (var green in greens)
        {
            Assert.Equal(green.EventId, bySeq[green.Seq!.Value].Id);
        }

        var custody = logged.Where(e => e.Event.Kind == CustodyEventKind.Commissioning).ToList();
        Assert.Equal(greens.Count, custody.Count);
        Assert.DoesNotContain(custody, e => refused.Contains(Assert.Single(e.Event.Epcs)));
        Assert.True(done.GetProperty("gaps").GetInt64() >= gapsWhileFull);

        ReliabilityRun.Record(
            "agent data directory full",
            $"{perPhase} scans red disk_full, {gapsWhileFull} sensor report(s) counted as gaps, writable {recovered.TotalSeconds:F1} s after the filler went, {greens.Count} greens logged once in seq order; {watch.Elapsed.TotalSeconds:F0} s");
        output.WriteLine($"{perPhase} red, {gapsWhileFull} gaps, recovered in {recovered.TotalSeconds:F1} s, {logged.Count} events logged; {watch.Elapsed.TotalSeconds:F1} s");
    }

    [Theory]
    [Trait("Category", "Reliability")]
    [InlineData("garbage")]
    [InlineData("truncated")]
    public async Task Agent_OutboxDamagedAtStart_MovedAsideAndCaptureContinuesOnANewChain(string damage)
    {
        var watch = Stopwatch.StartNew();
        await using var hub = await HubProcess.StartAsync();
        await using var agent = await AgentProcess.EnrolAsync(hub, $"commission-{damage}", "commissioning", "manufacturer");
        await agent.StartAsync();
        await ScanAsync(agent, 5, 0);
        await agent.EventuallyAsync(() => agent.TryReadStatus() is { PendingCustody: 0, LastAckSeq: 4 }, "first scans delivered");
        await agent.KillAsync();
        Damage(agent.OutboxPath, damage);

        await agent.StartAsync();
        await ScanAsync(agent, 5, 5);
        await agent.EventuallyAsync(() => agent.ReadSignals().Count == 10, "scans after the restart signalled");
        await agent.EventuallyAsync(() => hub.DeviceEvents(agent.DeviceId).Count == 10, "scans after the restart delivered", TimeSpan.FromSeconds(60));

        var aside = Directory.GetFiles(agent.DataDirectory, "outbox.db.corrupt-*");
        Assert.Single(aside);
        Assert.Contains("moved aside", agent.Output, StringComparison.Ordinal);
        var signals = agent.ReadSignals();
        Assert.All(signals, line => Assert.True(line.IsGreenEvent, line.Text));
        var logged = hub.DeviceEvents(agent.DeviceId);
        Assert.Equal(signals.Select(s => s.EventId!.Value), logged.Select(e => e.Id));

        // The new chain starts above the seq reservation (outbox.seq), never on a seq the hub holds, with no previous event.
        var restart = logged[5].Event.Device;
        Assert.True(restart.Seq >= 5 && restart.Prev.IsNone, $"restart at seq {restart.Seq}, prev {restart.Prev}");
        Assert.Equal(Enumerable.Range(0, 5).Select(i => restart.Seq + i), logged.Skip(5).Select(e => e.Event.Device.Seq));
        ReliabilityRun.Record($"agent outbox {damage} at start", $"moved aside, new chain at seq {restart.Seq}, 5 + 5 greens logged; {watch.Elapsed.TotalSeconds:F0} s");
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Hub_DataDirectoryFills_IngestRefusedAgentKeepsOutboxThenEverythingLoggedOnceAuditClean()
    {
        var watch = Stopwatch.StartNew();
        var perPhase = ReliabilityRun.Pick(8, 50);
        using var disk = new Tmpfs(8 * 1024 * 1024);
        await using var hub = new HubChild(new DirectoryInfo(Path.Combine(disk.Path, "hub")), "--Log:CheckpointPeriod=00:00:00.100");
        await using var agent = AgentProcess.Create("commission-hubfull", "commissioning");
        agent.BrokerPort = hub.BrokerPort;
        await hub.EnrollAsync(agent.DeviceId, agent.Enrolment("manufacturer").PublicKeyBase64, "manufacturer");
        await hub.StartAsync();
        await agent.StartAsync();
        await ScanAsync(agent, perPhase, 0);
        await agent.EventuallyAsync(() => agent.TryReadStatus() is { PendingCustody: 0, LastAckSeq: { } s } && s == perPhase - 1, "first scans delivered", TimeSpan.FromSeconds(60));

        // Full: the agent records (green) and keeps what the hub cannot take.
        disk.Fill(Leave);
        await ScanAsync(agent, perPhase, perPhase);
        await agent.EventuallyAsync(() => agent.ReadSignals().Count == 2 * perPhase, "scans while the hub is full signalled");
        await Task.Delay(TimeSpan.FromSeconds(5));
        var held = agent.TryReadStatus();
        Assert.True(held is { PendingCustody: > 0 }, $"the agent holds the events the full hub refused: {held}");
        var heldCount = held!.PendingCustody;

        // Room again: without a restart of either, everything arrives.
        var freed = Stopwatch.StartNew();
        disk.Unfill();
        await agent.EventuallyAsync(() => agent.TryReadStatus() is { PendingCustody: 0, LastAckSeq: { } s } && s == (2 * perPhase) - 1, "everything delivered", TimeSpan.FromSeconds(90), () => $"{agent.TryReadStatus()}; hub said {hub.Output}");
        var drained = freed.Elapsed;
        await hub.KillAsync();

        using var store = hub.OpenLog();
        var logged = new List<LoggedEvent>();
        for (long start = 0; ; start += 256)
        {
            var entries = store.ReadEntries(start, 256);
            logged.AddRange(entries.Where(e => e.Leaf[0] == (byte)LogLeafKind.DeviceEvent).Select(e => LoggedEvent.Decode(e.Leaf[1..])));
            if (entries.Count < 256)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 2 * perPhase).Select(i => (long)i), logged.Select(e => e.Event.Device.Seq));
        Assert.Equal(agent.ReadSignals().Select(s => s.EventId!.Value), logged.Select(e => e.Id));
        var report = hub.Audit(store);
        Assert.True(report.IsClean, $"audit failed: {report.Failure} at {report.FailedIndex}");
        ReliabilityRun.Record(
            "hub data directory full",
            $"{heldCount} of {perPhase} events held by the agent while full, all {2 * perPhase} logged once in seq order {drained.TotalSeconds:F1} s after the filler went, audit clean; {watch.Elapsed.TotalSeconds:F0} s");
        output.WriteLine($"held {heldCount}, drained in {drained.TotalSeconds:F1} s; {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task ScanAsync(AgentProcess agent, int count, int first)
    {
        for (var i = first; i < first + count; i++)
        {
            Assert.True(await agent.ScanAsync($"01{Gtin}21{Serial(i)[^6..]}\u001d10LOT42\u001d17301231"), "agent gone: " + agent.Output);
        }
    }

    private static string Serial(int i) => $"https://id.gs1.org/01/{Gtin}/21/D{i:D5}";

    private static void Damage(string path, string damage)
    {
        if (damage == "garbage")
        {
            var bytes = new byte[64 * 1024];
            new Random(5).NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
        }
        else
        {
            using var stream = new FileStream(path, FileMode.Open);
            stream.SetLength(stream.Length / 2);
        }
    }

    // The running agent's /status (the outbox's figures from memory, including gaps not yet on disk).
    private static JsonElement ReadStatus(HttpClient http)
    {
        using var response = http.GetAsync("/status").GetAwaiter().GetResult();
        using var document = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        return document.RootElement.Clone();
    }

    private static int FreePort() => Scenario.ScenarioBroker.FreePort();
}
