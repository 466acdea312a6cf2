using System.Diagnostics;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Hub.Log;
using SupplyChain.IntegrationTests.Agent;
using Xunit.Abstractions;

namespace SupplyChain.IntegrationTests.Broker;

/// <summary>
/// Issue #7 item 2 with Mosquitto: real agents (child processes scanning over TCP) deliver through a real Mosquitto to
/// the hub in external-broker mode while Mosquitto is SIGKILLed and started again WITHOUT its persistence file (no
/// session, subscription, queued or retained message survives), or while the hub is stopped and started. What must
/// hold: every event an agent signalled green is in the log exactly once, in its seq order; nothing depends on the
/// broker's session state, because each agent keeps every event until the hub's ack and resends the rest.
/// (The embedded broker's restart is <see cref="AgentDeliveryTests"/>.)
/// </summary>
public sealed class BrokerRestartTests(ITestOutputHelper output)
{
    private const string Gtin = "09506000134352";

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task ExternalMode_MosquittoKilledAndRestartedWithoutPersistence_EveryGreenLoggedOnceInSeqOrder()
    {
        var restarts = ReliabilityRun.Pick(2, 6);
        var outages = new List<TimeSpan>();
        var (packs, delivered) = await RunAsync("mosquitto", restarts, async hub =>
        {
            var down = Stopwatch.StartNew();
            await hub.Broker.RestartAsync(forgetState: true);
            outages.Add(down.Elapsed);
        });

        var figure = $"{packs} packs from 2 agents, {restarts} Mosquitto SIGKILLs with mosquitto.db deleted (down {Milliseconds(outages)}): " +
            $"each green logged once in seq order; last ack {delivered.TotalSeconds:F1} s after the last scan";
        output.WriteLine(figure);
        ReliabilityRun.Record("Mosquitto restart, state deleted (external mode)", figure);
    }

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task ExternalMode_HubStoppedAndStartedWhileAgentsPublish_EveryGreenLoggedOnceInSeqOrder()
    {
        var restarts = ReliabilityRun.Pick(2, 6);
        var outages = new List<TimeSpan>();
        var (packs, delivered) = await RunAsync("hub", restarts, async hub =>
        {
            var down = Stopwatch.StartNew();
            await hub.StopHubAsync();
            await Task.Delay(500);
            await hub.StartHubAsync();
            outages.Add(down.Elapsed);
        });

        var figure = $"{packs} packs from 2 agents, {restarts} hub stop/starts against Mosquitto (down {Milliseconds(outages)}): " +
            $"each green logged once in seq order; last ack {delivered.TotalSeconds:F1} s after the last scan";
        output.WriteLine(figure);
        ReliabilityRun.Record("Hub restart while agents publish (external mode)", figure);
    }

    /// <summary>
    /// Two agents scan packs in turn through Mosquitto; <paramref name="restart"/> runs <paramref name="restarts"/> times
    /// while they scan, each after the hub took events in that period (so it cuts live sessions). Returns the number of
    /// packs and how long after the last scan the last ack came.
    /// </summary>
    private static async Task<(int Packs, TimeSpan Delivered)> RunAsync(string name, int restarts, Func<ExternalHub, Task> restart)
    {
        var packs = ReliabilityRun.Pick(100, 1000);
        await using var first = AgentProcess.Create($"{name}-line-1", "commissioning");
        await using var second = AgentProcess.Create($"{name}-line-2", "commissioning");
        AgentProcess[] agents = [first, second];
        await using var hub = await ExternalHub.StartWithAsync([.. agents.Select(a => a.Enrolment("manufacturer"))]);
        foreach (var agent in agents)
        {
            agent.BrokerPort = hub.Broker.Port;
            await agent.StartAsync();
        }

        var restartsAt = Enumerable.Range(1, restarts).Select(k => k * packs / (restarts + 1)).ToHashSet();
        var logged = 0;
        for (var i = 0; i < packs; i++)
        {
            if (restartsAt.Contains(i))
            {
                var before = logged;
                await first.EventuallyAsync(() => (logged = DeviceEventCount(hub)) > before, $"hub took events before {name} restart", state: () => hub.Broker.Log);
                await restart(hub);
            }

            Assert.True(await agents[i % 2].ScanAsync(Scan($"{name[0]}{i:D6}")), "scan not sent");
            if (i % 10 == 0)
            {
                await Task.Delay(20);
            }
        }

        var scanned = Stopwatch.StartNew();
        foreach (var agent in agents)
        {
            var expected = packs / 2;
            await agent.EventuallyAsync(
                () => agent.TryReadStatus() is { PendingCustody: 0 } status && status.NextSeq == expected,
                $"{agent.DeviceId}: all delivered",
                TimeSpan.FromSeconds(120),
                () => $"{agent.TryReadStatus()}; mosquitto: {hub.Broker.Log}");
        }

        var delivered = scanned.Elapsed;
        foreach (var agent in agents)
        {
            AssertLoggedOnceInSeqOrder(hub, agent, packs / 2);
        }

        return (packs, delivered);
    }

    /// <summary>Every green the agent signalled names the event the hub logged at that seq; each seq once, in order.</summary>
    internal static void AssertLoggedOnceInSeqOrder(ExternalHub hub, AgentProcess agent, int count)
    {
        var events = DeviceEvents(hub.Service<LogReader>(), agent.DeviceId);
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), events.Select(e => e.Event.Device.Seq));
        var greens = agent.ReadSignals();
        Assert.All(greens, line => Assert.True(line.IsGreenEvent, line.Text));
        Assert.Equal(events.Select(e => (e.Event.Device.Seq, e.Id)), greens.Select(g => (g.Seq!.Value, g.EventId!.Value)));
        Assert.Equal(0, agent.TryReadStatus()!.Rejected);
    }

    /// <summary>The device events of <paramref name="deviceId"/> in the log, in index order.</summary>
    internal static List<LoggedEvent> DeviceEvents(LogReader reader, string deviceId)
    {
        var events = new List<LoggedEvent>();
        for (long start = 0; ; start += 256)
        {
            var entries = reader.Entries(start, 256);
            events.AddRange(entries.Where(e => e.Leaf[0] == (byte)LogLeafKind.DeviceEvent).Select(e => LoggedEvent.Decode(e.Leaf[1..])));
            if (entries.Count < 256)
            {
                return [.. events.Where(e => e.Event.Device.DeviceId == deviceId)];
            }
        }
    }

    private static int DeviceEventCount(ExternalHub hub)
    {
        var reader = hub.Service<LogReader>();
        var count = 0;
        for (long start = 0; ; start += 256)
        {
            var entries = reader.Entries(start, 256);
            count += entries.Count(e => e.Leaf[0] == (byte)LogLeafKind.DeviceEvent);
            if (entries.Count < 256)
            {
                return count;
            }
        }
    }

    private static string Milliseconds(List<TimeSpan> outages) => string.Join(", ", outages.Select(o => $"{o.TotalMilliseconds:F0} ms"));

    /// <summary>A GS1 element string as a scanner sends it: GTIN, serial, FNC1 (GS), lot, FNC1, expiry (GenSpecs §7.8.5).</summary>
    internal static string Scan(string serial)
    {
        Assert.True(Gs1CheckDigit.IsValid(Gtin));
        return $"01{Gtin}21{serial}\u001d10LOT42\u001d17301231";
    }
}
