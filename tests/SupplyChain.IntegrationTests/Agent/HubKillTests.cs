using System.Diagnostics;
using SupplyChain.Contracts.Events;
using SupplyChain.Hub.Log;
using Xunit.Abstractions;

namespace SupplyChain.IntegrationTests.Agent;

/// <summary>
/// Power loss at the hub (issue #7 item 1): the real hub process SIGKILLed at random moments while three real agents
/// scan and deliver through its embedded broker, so kills land while it takes messages in, verifies and sequences them,
/// and integrates and signs checkpoints (every 100 ms here). After every kill, with the hub dead: every event an agent
/// had an ack for is in the log; no checkpoint signed before differs; the log audits clean. In the end: each device's
/// events are in the log exactly once, seq 0, 1, 2, … in order, and each green line names the event logged at its seq.
/// </summary>
public sealed class HubKillTests(ITestOutputHelper output)
{
    private const string Gtin = "09506000134352";
    private static readonly int Kills = ReliabilityRun.Pick(8, 24);

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Hub_KilledRandomlyWhileAgentsDeliver_EveryAckedEventKeptAllLoggedOnceInSeqOrder()
    {
        var watch = Stopwatch.StartNew();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        await using var hub = new HubChild("--Log:CheckpointPeriod=00:00:00.100");
        var agents = new List<AgentProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var agent = AgentProcess.Create($"line-{i}", "commissioning");
                agent.BrokerPort = hub.BrokerPort;
                agents.Add(agent);
                await hub.EnrollAsync(agent.DeviceId, agent.Enrolment("manufacturer").PublicKeyBase64, "manufacturer");
                await agent.StartAsync();
            }

            var sent = new int[agents.Count];
            var checkpoints = new Dictionary<long, string>();
            var lifetimes = new List<int>();
            for (var kill = 0; kill < Kills; kill++)
            {
                // Each agent scans 5–25 packs at its own pace from the moment the hub starts; the kill comes while they
                // are delivered, or while the hub is still starting, or once they are all in.
                var scanning = agents.Select((agent, i) => ScanAsync(agent, i, sent[i], random.Next(5, 26))).ToList();
                await hub.StartAsync();
                var lifetime = random.Next(50, 2500);
                lifetimes.Add(lifetime);
                await Task.Delay(lifetime);
                await hub.KillAsync();
                var counts = await Task.WhenAll(scanning);
                for (var i = 0; i < sent.Length; i++)
                {
                    sent[i] += counts[i];
                }

                using var store = hub.OpenLog();
                var logged = DeviceSeqs(store);
                foreach (var agent in agents)
                {
                    // What the agent holds an ack for must have survived the kill (the agent only hears an ack after
                    // the hub's commit and fsync). The agent's own store is read beside it, so a read can miss.
                    if (agent.TryReadStatus() is { LastAckSeq: { } acked })
                    {
                        var seqs = logged.GetValueOrDefault(agent.DeviceId, []);
                        Assert.True(seqs.Count > acked, $"seed {seed}, kill {kill}: {agent.DeviceId} had an ack for seq {acked}, the log has {seqs.Count} of its events");
                    }
                }

                foreach (var checkpoint in store.ReadCheckpoints())
                {
                    Assert.True(
                        checkpoints.TryAdd(checkpoint.Size, checkpoint.Note) || checkpoints[checkpoint.Size] == checkpoint.Note,
                        $"seed {seed}, kill {kill}: the checkpoint at size {checkpoint.Size} changed");
                }

                var report = hub.Audit(store);
                Assert.True(report.IsClean, $"seed {seed}, kill {kill}: audit failed: {report.Failure} at {report.FailedIndex}");
            }

            // A last start without a kill: everything still owed is delivered (once each agent has taken every scan sent).
            await hub.StartAsync();
            foreach (var (agent, i) in agents.Select((agent, i) => (agent, i)))
            {
                await agent.EventuallyAsync(() => agent.ReadSignals().Count == sent[i], $"{agent.DeviceId} took all {sent[i]} scans", TimeSpan.FromSeconds(120));
                await agent.EventuallyAsync(
                    () => agent.TryReadStatus() is { PendingCustody: 0 } s && s.LastAckSeq == s.NextSeq - 1,
                    $"{agent.DeviceId} delivered everything",
                    TimeSpan.FromSeconds(180),
                    () => $"seed {seed}, outbox {agent.TryReadStatus()}\nhub said:\n{hub.Output}");
            }

            await hub.KillAsync();
            using (var store = hub.OpenLog())
            {
                var events = DeviceEvents(store);
                var total = 0;
                foreach (var agent in agents)
                {
                    var mine = events.Where(e => e.Event.Device.DeviceId == agent.DeviceId).ToList();
                    var status = agent.TryReadStatus()!;
                    Assert.Equal(0, status.Rejected);
                    Assert.Equal(Enumerable.Range(0, (int)status.NextSeq).Select(i => (long)i), mine.Select(e => e.Event.Device.Seq));
                    Assert.All(mine, e => Assert.Equal(CustodyEventKind.Commissioning, e.Event.Kind));
                    var greens = agent.ReadSignals();
                    Assert.All(greens, line => Assert.True(line.IsGreenEvent, line.Text));
                    Assert.Equal(mine.Select(e => (e.Event.Device.Seq, e.Id)), greens.Select(g => (g.Seq!.Value, g.EventId!.Value)));
                    total += mine.Count;
                }

                var report = hub.Audit(store);
                Assert.True(report.IsClean, $"seed {seed}: final audit failed: {report.Failure} at {report.FailedIndex}");
                ReliabilityRun.Record(
                    "hub SIGKILL while three agents deliver",
                    $"{Kills} kills {lifetimes.Min()}–{lifetimes.Max()} ms after start, {total} events from 3 agents, {checkpoints.Count} checkpoints kept, 0 lost, 0 twice, audit clean; {watch.Elapsed.TotalSeconds:F0} s");
                output.WriteLine($"seed {seed}: {Kills} kills, {total} events logged once in seq order, {checkpoints.Count} checkpoints unchanged; {watch.Elapsed.TotalSeconds:F1} s");
            }
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    /// <summary>Scans <paramref name="count"/> new packs 20–100 ms apart; returns the count.</summary>
    private static async Task<int> ScanAsync(AgentProcess agent, int line, int first, int count)
    {
        var random = new Random(first + line);
        for (var n = first; n < first + count; n++)
        {
            Assert.True(await agent.ScanAsync($"01{Gtin}21L{line}N{n:D6}\u001d10LOT7\u001d17301231"), $"{agent.DeviceId} stopped taking scans: {agent.Output}");
            await Task.Delay(random.Next(20, 100));
        }

        return count;
    }

    private static List<LoggedEvent> DeviceEvents(LiteDbLogStore store)
    {
        var events = new List<LoggedEvent>();
        for (long start = 0; ; start += 256)
        {
            var entries = store.ReadEntries(start, 256);
            events.AddRange(entries.Where(e => e.Leaf[0] == (byte)LogLeafKind.DeviceEvent).Select(e => LoggedEvent.Decode(e.Leaf[1..])));
            if (entries.Count < 256)
            {
                return events;
            }
        }
    }

    /// <summary>Per device, the seqs of its logged events in log order; each must be 0, 1, 2, … (checked as it grows).</summary>
    private static Dictionary<string, List<long>> DeviceSeqs(LiteDbLogStore store)
    {
        var seqs = new Dictionary<string, List<long>>();
        foreach (var e in DeviceEvents(store))
        {
            var list = seqs.TryGetValue(e.Event.Device.DeviceId, out var l) ? l : seqs[e.Event.Device.DeviceId] = [];
            Assert.Equal(list.Count, e.Event.Device.Seq);
            list.Add(e.Event.Device.Seq);
        }

        return seqs;
    }
}
