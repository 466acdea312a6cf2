using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.Storage;
using SupplyChain.IntegrationTests.Agent;
using SupplyChain.IntegrationTests.Broker;
using Xunit.Abstractions;

namespace SupplyChain.IntegrationTests.Cluster;

/// <summary>
/// Issue #10 item 2: two real hub processes on one PostgreSQL database behind a real Mosquitto with an MQTT 5 shared
/// subscription, real agents scanning at their own pace, so one device's consecutive messages land on either hub. Mid-run
/// the hub that integrates is SIGKILLed; the other must take the advisory lock and sign on from the stored tree. Then: every
/// event each agent holds an ack for is in the log exactly once, each device's events in seq order 0, 1, 2, …; every
/// checkpoint either hub served is stored unchanged and consistent with every earlier one (consistency proofs checked
/// with the contracts verifier); <c>log audit --postgres</c> is clean; and the killed hub, started again, answers every
/// verification as the survivor does.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class SeveralHubsTests(ITestOutputHelper output, PostgresCluster postgres)
{
    private const string Gtin = "09506000134352";
    private static readonly int Agents = ReliabilityRun.Pick(4, 8);
    private static readonly int PacksPerAgent = ReliabilityRun.Pick(80, 300);

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task TwoHubs_IntegratorKilledMidRun_OtherTakesOverNothingLostOrTwiceCheckpointsConsistent()
    {
        var watch = Stopwatch.StartNew();
        var connection = await postgres.NewDatabaseAsync();
        var agents = new List<AgentProcess>();
        Mosquitto? mosquitto = null;
        ClusterHub? first = null;
        ClusterHub? second = null;
        try
        {
            // Stations enrolled into the shared database; Mosquitto set up as firmware-config/mosquitto says, its ACL
            // exported from the same database.
            var brokerDirectory = Mosquitto.NewDirectory();
            await Mosquitto.AddUserAsync(brokerDirectory, Hub.Broker.EmbeddedBroker.HubClientId, ClusterHub.HubPassword);
            for (var i = 0; i < Agents; i++)
            {
                var agent = AgentProcess.Create($"line-{i}", "commissioning");
                agents.Add(agent);
                var enrol = await ExternalHub.CommandAsync(
                    "devices", "enroll", "--postgres", connection, "--id", agent.DeviceId,
                    "--key", agent.Enrolment("manufacturer").PublicKeyBase64, "--site", AgentProcess.Site,
                    "--role", "manufacturer", "--password", AgentProcess.Password, "--actor", "cluster-test");
                Assert.True(enrol.Exit == 0, enrol.Output + enrol.Error);
                await Mosquitto.AddUserAsync(brokerDirectory, agent.DeviceId, AgentProcess.Password);
            }

            var export = await ExternalHub.CommandAsync(
                "devices", "export-mosquitto", "--postgres", connection,
                "--acl", Path.Combine(brokerDirectory, "acl"), "--passwords", Path.Combine(brokerDirectory, "passwords"));
            Assert.True(export.Exit == 0, export.Output + export.Error);
            mosquitto = await Mosquitto.StartAsync(brokerDirectory);

            first = new ClusterHub("a", connection, mosquitto.Port);
            second = new ClusterHub("b", connection, mosquitto.Port);
            await first.StartAsync();
            second.ShareKeyOf(first);
            await second.StartAsync();
            ClusterHub[] hubs = [first, second];
            var verifier = HubSigningKey.LoadOrCreate(first.DataDirectory, new LogOptions().Origin).Verifier;

            foreach (var agent in agents)
            {
                agent.BrokerPort = mosquitto.Port;
                await agent.StartAsync();
            }

            // Both hubs' checkpoints are read every 50 ms for the whole run: what a reader could have been served.
            using var stopObserving = new CancellationTokenSource();
            var observed = new ConcurrentDictionary<long, string>();
            var firstSeen = new ConcurrentDictionary<(string Hub, long Size), long>();
            var observing = ObserveAsync(hubs, observed, firstSeen, stopObserving.Token);

            var scanning = agents.Select((agent, i) => ScanAsync(agent, i, PacksPerAgent)).ToList();

            // Kill the integrator once half of the events are in the log, while the agents keep scanning.
            await using var dataSource = Npgsql.NpgsqlDataSource.Create(connection);
            var store = new PostgresLogStore(dataSource);
            await EventuallyAsync(() => store.ReadState().SequencedSize >= Agents * PacksPerAgent / 2, "half of the events sequenced", TimeSpan.FromSeconds(180));
            await EventuallyAsync(() => hubs.Any(h => h.WonAt is not null), "one hub integrates", TimeSpan.FromSeconds(30));
            var leader = hubs.Single(h => h.WonAt is not null);
            var survivor = leader == first ? second : first;
            var sizeAtKill = store.ReadState().IntegratedSize;
            var (takenBefore, heldBefore) = (hubs.Select(h => h.MessagesTaken).ToList(), hubs.Sum(h => h.EventsHeld));
            Assert.All(hubs, h => Assert.True(h.MessagesTaken > 0, $"hub {h.Name} took no device message: the shared subscription did not spread them"));
            var killedAt = await leader.KillAsync();
            await EventuallyAsync(() => survivor.WonAt is not null, $"hub {survivor.Name} takes over", TimeSpan.FromSeconds(60), () => survivor.Output);
            var takeover = Stopwatch.GetElapsedTime(killedAt, survivor.WonAt!.Value);
            await EventuallyAsync(() => store.ReadState().IntegratedSize > sizeAtKill, "a checkpoint signed after the kill", TimeSpan.FromSeconds(60));
            var firstNewCheckpoint = Stopwatch.GetElapsedTime(killedAt);
            output.WriteLine($"hub {leader.Name} killed at size {sizeAtKill}; hub {survivor.Name} took the lock after {takeover.TotalMilliseconds:F0} ms, first new checkpoint within {firstNewCheckpoint.TotalMilliseconds:F0} ms");

            var sent = await Task.WhenAll(scanning);
            foreach (var (agent, i) in agents.Select((agent, i) => (agent, i)))
            {
                await agent.EventuallyAsync(() => agent.ReadSignals().Count == sent[i], $"{agent.DeviceId} took all {sent[i]} scans", TimeSpan.FromSeconds(120));
                await agent.EventuallyAsync(
                    () => agent.TryReadStatus() is { PendingCustody: 0 } s && s.LastAckSeq == s.NextSeq - 1,
                    $"{agent.DeviceId} delivered everything",
                    TimeSpan.FromSeconds(240),
                    () => $"outbox {agent.TryReadStatus()}\nsurvivor:\n{survivor.Output}");
            }

            // The killed hub comes back as a follower and catches up from the shared store.
            await leader.StartAsync();
            var total = agents.Sum(a => a.TryReadStatus()!.NextSeq);
            await EventuallyAsync(() => store.ReadState() is { } s && s.IntegratedSize == s.SequencedSize && s.SequencedSize >= total, "everything integrated", TimeSpan.FromSeconds(60));
            var final = store.ReadLatestCheckpoint()!;
            await EventuallyAsync(
                () => hubs.All(h => Size(h.CheckpointAsync().GetAwaiter().GetResult()) == final.Size), "both hubs serve the final checkpoint", TimeSpan.FromSeconds(30));
            await stopObserving.CancelAsync();
            await observing;

            // Every device's events exactly once, in seq order, each green line naming the event logged at its seq.
            var events = DeviceEvents(store);
            foreach (var agent in agents)
            {
                var mine = events.Where(e => e.Event.Device.DeviceId == agent.DeviceId).ToList();
                var status = agent.TryReadStatus()!;
                Assert.Equal(0, status.Rejected);
                Assert.Equal(Enumerable.Range(0, (int)status.NextSeq).Select(i => (long)i), mine.Select(e => e.Event.Device.Seq));
                var greens = agent.ReadSignals();
                Assert.All(greens, line => Assert.True(line.IsGreenEvent, line.Text));
                Assert.Equal(mine.Select(e => (e.Event.Device.Seq, e.Id)), greens.Select(g => (g.Seq!.Value, g.EventId!.Value)));
            }

            // Every checkpoint a reader was served is stored unchanged, and each is consistent with the one before,
            // by a proof the restarted hub serves and the contracts verifier checks.
            var stored = store.ReadCheckpoints().ToDictionary(c => c.Size);
            var sizes = observed.Keys.Order().ToList();
            foreach (var size in sizes)
            {
                Assert.True(stored.TryGetValue(size, out var kept) && kept.Note == observed[size], $"the checkpoint served at size {size} is not the stored one");
                Assert.True(SignedNote.Open(observed[size], [verifier]).IsVerified, $"the checkpoint at size {size} does not verify with the log key");
            }

            foreach (var (older, newer) in sizes.Where(s => s > 0).Zip(sizes.Where(s => s > 0).Skip(1)))
            {
                var proof = await leader.Http.GetFromJsonAsync<ConsistencyJson>($"/v1/log/proof/consistency?old={older}&new={newer}");
                var check = MerkleProof.VerifyConsistency(older, newer, [.. proof!.Proof.Select(Convert.FromBase64String)], stored[older].RootHash, stored[newer].RootHash);
                Assert.True(check.IsValid, $"checkpoints {older} and {newer} are not consistent: {check.Reason}");
            }

            var audit = await ExternalHub.CommandAsync("log", "audit", "--data", survivor.DataDirectory, "--postgres", connection);
            Assert.True(audit.Exit == 0, $"log audit --postgres: {audit.Output}{audit.Error}");

            // Both hubs answer every verification alike (custody state rebuilt by one, followed live by the other).
            foreach (var (agent, i) in agents.Select((agent, i) => (agent, i)))
            {
                for (var n = 0; n < sent[i]; n += 7)
                {
                    var serial = Serial(i, n);
                    var one = await survivor.VerifyAsync(Gtin, serial);
                    var other = await leader.VerifyAsync(Gtin, serial);
                    Assert.Equal((one.Verified, one.Status, string.Join(',', one.Reasons), one.Proofs.Count), (other.Verified, other.Status, string.Join(',', other.Reasons), other.Proofs.Count));
                    Assert.Equal(one.Proofs.Select(p => p.Index), other.Proofs.Select(p => p.Index));
                }
            }

            // How far one hub's checkpoint trails the other's while both run (before the kill): the follower's read lag.
            var lags = firstSeen.Keys.Select(k => k.Size).Distinct()
                .Where(size => firstSeen.TryGetValue((first.Name, size), out var a) && firstSeen.TryGetValue((second.Name, size), out var b) && a < killedAt && b < killedAt)
                .Select(size => Math.Abs(Stopwatch.GetElapsedTime(firstSeen[(first.Name, size)], firstSeen[(second.Name, size)]).TotalMilliseconds))
                .Order().ToList();
            var lagText = lags.Count == 0 ? "no size seen on both" : string.Create(
                CultureInfo.InvariantCulture, $"checkpoint seen on the second hub {lags[lags.Count / 2]:F0} ms (median) / {lags[^1]:F0} ms (max) after the first, {lags.Count} sizes");
            var figure = string.Create(
                CultureInfo.InvariantCulture,
                $"{Agents} agents × {PacksPerAgent} packs, {events.Count} events; before the kill the hubs took {takenBefore[0]} and {takenBefore[1]} messages and held {heldBefore} events for a gap; integrator SIGKILLed at size {sizeAtKill}, lock taken over in {takeover.TotalMilliseconds:F0} ms, first new checkpoint {firstNewCheckpoint.TotalMilliseconds:F0} ms after the kill; {sizes.Count} served checkpoints stored unchanged and consistent; {lagText}; 0 lost, 0 twice, audit clean; {watch.Elapsed.TotalSeconds:F0} s");
            ReliabilityRun.Record("two hubs on PostgreSQL, integrator SIGKILLed", figure);
            output.WriteLine(figure);
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }

            if (first is not null)
            {
                await first.DisposeAsync();
            }

            if (second is not null)
            {
                await second.DisposeAsync();
            }

            if (mosquitto is not null)
            {
                await mosquitto.DisposeAsync();
            }
        }
    }

    private static string Serial(int line, int n) => string.Create(CultureInfo.InvariantCulture, $"L{line}N{n:D6}");

    /// <summary>Scans <paramref name="count"/> new packs 20–80 ms apart; returns the count.</summary>
    private static async Task<int> ScanAsync(AgentProcess agent, int line, int count)
    {
        var random = new Random(line);
        for (var n = 0; n < count; n++)
        {
            Assert.True(await agent.ScanAsync($"01{Gtin}21{Serial(line, n)}\u001d10LOT7\u001d17301231"), $"{agent.DeviceId} stopped taking scans: {agent.Output}");
            await Task.Delay(random.Next(20, 80));
        }

        return count;
    }

    private static async Task ObserveAsync(
        ClusterHub[] hubs, ConcurrentDictionary<long, string> observed, ConcurrentDictionary<(string, long), long> firstSeen, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var hub in hubs.Where(h => h.IsRunning))
            {
                if (await hub.CheckpointAsync() is { } note && Size(note) is { } size)
                {
                    Assert.Equal(observed.GetOrAdd(size, note), note);
                    firstSeen.TryAdd((hub.Name, size), Stopwatch.GetTimestamp());
                }
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>The tree size of a checkpoint note (C2SP tlog-checkpoint: origin, size, root).</summary>
    private static long? Size(string? note) =>
        note?.Split('\n') is [_, var size, ..] && long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static List<LoggedEvent> DeviceEvents(PostgresLogStore store)
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

    private static async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan limit, Func<string>? state = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, $"not within {limit.TotalSeconds:F0} s: {what}\n{state?.Invoke()}");
            await Task.Delay(100);
        }
    }

    private sealed record ConsistencyJson(long Old, long New, string[] Proof);
}
