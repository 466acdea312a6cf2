using System.Diagnostics;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using Xunit.Abstractions;

namespace SupplyChain.IntegrationTests.Agent;

/// <summary>
/// The real agent (a child process reading scans over TCP) delivering to the real hub through its embedded broker while
/// the hub is stopped and started under it (DESIGN.md §4–5, issue #4 "done when"): every scan ends up in the log once,
/// in seq order.
/// </summary>
public sealed class AgentDeliveryTests(ITestOutputHelper output)
{
    private const string DeviceId = "commission-1";
    private const string Gtin = "09506000134352";
    private const int Packs = 1000;
    private const int BrokerRestarts = 3;

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Agent_BrokerRestartedThreeTimesWhileScanning1000Packs_LogHoldsEachOnceInSeqOrder()
    {
        var watch = Stopwatch.StartNew();
        await using var hub = await HubProcess.StartAsync();
        await using var agent = await AgentProcess.EnrolAsync(hub, DeviceId, "commissioning", "manufacturer");
        await agent.StartAsync();

        var serials = Enumerable.Range(0, Packs).Select(i => $"IT{i:D5}").ToList();
        var restartsAt = Enumerable.Range(1, BrokerRestarts).Select(k => k * Packs / (BrokerRestarts + 1)).ToHashSet();
        var logged = 0;
        var outages = new List<TimeSpan>();
        for (var i = 0; i < Packs; i++)
        {
            if (restartsAt.Contains(i))
            {
                // This hub instance must have taken events from the agent, so each stop cuts a live session; the agent
                // goes on scanning into its outbox while the broker is away.
                var before = logged;
                await agent.EventuallyAsync(() => (logged = hub.DeviceEventLeaves().Count) > before, "hub took events before its restart");
                var down = Stopwatch.StartNew();
                await hub.StopAsync();
                for (var j = 0; j < 20 && i < Packs; j++, i++)
                {
                    Assert.True(await agent.ScanAsync(Scan(serials[i])));
                }

                i--;
                await Task.Delay(300);
                await hub.RestartAsync();
                outages.Add(down.Elapsed);
                continue;
            }

            Assert.True(await agent.ScanAsync(Scan(serials[i])));
            if (i % 10 == 0)
            {
                await Task.Delay(10);
            }
        }

        var scanned = watch.Elapsed;
        await agent.EventuallyAsync(() => agent.TryReadStatus() is { PendingCustody: 0, NextSeq: Packs }, "all delivered", TimeSpan.FromSeconds(150));
        var delivered = watch.Elapsed;
        var status = agent.TryReadStatus()!;
        Assert.Equal(0, status.Rejected);
        Assert.Equal(Packs - 1, status.LastAckSeq);

        var events = hub.DeviceEvents(DeviceId);
        Assert.Equal(Enumerable.Range(0, Packs).Select(i => (long)i), events.Select(e => e.Event.Device.Seq));
        Assert.All(events, e => Assert.Equal(CustodyEventKind.Commissioning, e.Event.Kind));
        Assert.Equal(serials.Select(s => $"https://id.gs1.org/01/{Gtin}/21/{s}"), events.Select(e => Assert.Single(e.Event.Epcs)));

        // Every scan was signalled green once, naming exactly the event the hub logged at that seq.
        var greens = agent.ReadSignals();
        Assert.All(greens, line => Assert.True(line.IsGreenEvent, line.Text));
        Assert.Equal(events.Select(e => (e.Event.Device.Seq, e.Id)), greens.Select(g => (g.Seq!.Value, g.EventId!.Value)));

        output.WriteLine(
            $"{Packs} packs, {BrokerRestarts} broker restarts (down {string.Join(", ", outages.Select(o => $"{o.TotalMilliseconds:F0} ms"))}): " +
            $"scanned in {scanned.TotalSeconds:F1} s, all acknowledged after {delivered.TotalSeconds:F1} s");
    }

    /// <summary>A GS1 element string as a scanner sends it: GTIN, serial, FNC1 (GS), lot, FNC1, expiry (GenSpecs §7.8.5).</summary>
    private static string Scan(string serial)
    {
        Assert.True(Gs1CheckDigit.IsValid(Gtin));
        return $"01{Gtin}21{serial}\u001d10LOT42\u001d17301231";
    }
}
