using SupplyChain.Agent.Outbox;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.IntegrationTests.Agent;

/// <summary>
/// A final rejection in the middle of a device's chain (PROTOCOL.md §5.4–5.5) between the real agent and the real hub:
/// the hub's envelope limit is below what the agent may sign, so one big dock-out batch is rejected <c>too_large</c>
/// while the batches after it already wait in the outbox chained behind it. The agent restarts its chain and the hub
/// takes the rest as a restart, instead of holding them as a gap forever.
/// </summary>
public sealed class AgentRejectionTests
{
    private const string DeviceId = "dock-out-1";
    private const string Gtin = "09506000134352";
    private const string ShipTo = "9506000134376";

    [Fact]
    public async Task Agent_HubRejectsBatchMidChain_LaterBatchesLoggedOnANewChainAndNothingElseLost()
    {
        // 4 KiB: a batch of a few packs fits, one of 60 does not (the agent's own limit is a 64 KiB payload).
        await using var hub = await HubProcess.StartAsync("--Ingest:MaxEnvelopeBytes=4096", "--Ingest:GapTimeout=00:00:02");
        await using var agent = await AgentProcess.EnrolAsync(hub, DeviceId, "dock-out", "warehouse");
        await agent.StartAsync();

        var first = Packs("A", 1);
        await ShipAsync(agent, 1, first);
        await agent.EventuallyAsync(() => hub.DeviceEvents(DeviceId).Count == 1, "first batch logged");

        // While the hub is down the big batch and two more are recorded: they wait chained behind it.
        await hub.StopAsync();
        var big = Packs("B", 60);
        var third = Packs("C", 1);
        var fourth = Packs("D", 2);
        await ShipAsync(agent, 2, big);
        await ShipAsync(agent, 3, third);
        await ShipAsync(agent, 4, fourth);
        await hub.RestartAsync();

        await agent.EventuallyAsync(() => agent.TryReadStatus() is { PendingCustody: 0, Rejected: 1 }, "rejection and restart");
        var fifth = Packs("E", 1);
        await ShipAsync(agent, 5, fifth);
        await agent.EventuallyAsync(() => agent.TryReadStatus() is { PendingCustody: 0 } && hub.DeviceEvents(DeviceId).Count == 4, "fifth batch logged");

        // The hub gives up on the old copies it held (chain_gap after 2 s); the agent, which re-signed them, ignores that.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var status = agent.TryReadStatus()!;
        Assert.Equal(0, status.PendingCustody);
        Assert.Equal(1, status.Rejected);
        Assert.Equal(7, status.NextSeq);

        var logged = hub.DeviceEvents(DeviceId);
        Assert.Equal([0L, 4L, 5L, 6L], logged.Select(e => e.Event.Device.Seq));
        Assert.True(logged[1].Event.Device.Prev.IsNone);
        Assert.Equal(logged[1].Id, logged[2].Event.Device.Prev);
        Assert.Equal(logged[2].Id, logged[3].Event.Device.Prev);
        Assert.Equal([first, third, fourth, fifth], logged.Select(PacksOf));
        Assert.DoesNotContain(logged, e => e.Event.Epcs.Intersect(big).Any());

        // The rejected batch stays in the outbox with the hub's reason.
        var rejected = Assert.Single(EventOutbox.ReadRejected(agent.OutboxPath));
        Assert.Equal(1, rejected.Seq);
        Assert.Equal(RejectReason.TooLarge, rejected.Reason);

        // Greens were shown for all five at their first seqs; the hub logged the moved two at new seqs.
        var greens = agent.ReadSignals().Where(l => l.IsGreenEvent).ToList();
        Assert.Equal([0L, 1L, 2L, 3L, 6L], greens.Select(g => g.Seq!.Value));
        Assert.Equal(logged[0].Id, greens[0].EventId);
        Assert.Equal(rejected.EventId, greens[1].EventId);
        Assert.Equal(logged[3].Id, greens[4].EventId);
    }

    private static List<string> PacksOf(LoggedEvent e) => [.. e.Event.Epcs.Where(epc => epc.Contains("/01/", StringComparison.Ordinal))];

    private static List<string> Packs(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => $"https://id.gs1.org/01/{Gtin}/21/{prefix}{i:D4}")];

    // A dock-out batch as the operator scans it (DESIGN.md §2): the pallet's SSCC, the ship-to GLN, the packs, END.
    private static async Task ShipAsync(AgentProcess agent, int batch, List<string> packs)
    {
        Assert.True(Gs1CheckDigit.TryCompute($"09506000{batch:D9}", out var check));
        var scans = new List<string> { $"0009506000{batch:D9}{check}", $"410{ShipTo}" };
        scans.AddRange(packs.Select(p => $"01{Gtin}21{p[(p.LastIndexOf('/') + 1)..]}"));
        scans.Add("END");
        var greensBefore = agent.ReadSignals().Count(l => l.IsGreenEvent);
        foreach (var scan in scans)
        {
            Assert.True(await agent.ScanAsync(scan));
        }

        await agent.EventuallyAsync(() => agent.ReadSignals().Count(l => l.IsGreenEvent) == greensBefore + 1, $"batch {batch} green");
        Assert.DoesNotContain(agent.ReadSignals(), l => l.Signal == "red");
    }
}
