using System.Diagnostics;
using System.Globalization;
using SupplyChain.IntegrationTests.Agent;
using SupplyChain.IntegrationTests.Broker;
using Xunit.Abstractions;

namespace SupplyChain.IntegrationTests.Network;

/// <summary>
/// Issue #7 item 3, half-open network: the real agent runs INSIDE a network namespace of its own and reaches the hub's
/// embedded broker on the host end of a veth pair. iptables rules in the namespace then drop every packet between them
/// silently (no RST, no ICMP: both ends still think the connection is open), once while the agent publishes a scan every
/// second and once while it is idle. What must hold: the agent notices within its publish deadline plus its MQTT
/// keep-alive (DeliveryOptions.PublishTimeout + KeepAlive), keeps reconnecting with jittered backoff, reconnects once
/// the path is back and resends, so every green event is in the log exactly once, in seq order.
/// </summary>
public sealed class HalfOpenNetworkTests(ITestOutputHelper output)
{
    private const string DeviceId = "halfopen-1";
    private const string LostText = "unreachable or connection lost";
    private const string ConnectedText = "Connected to broker";
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(3);

    [Fact]
    [Trait("Category", "Reliability")]
    public async Task Agent_PacketsDroppedSilentlyBusyAndIdle_NoticedWithinDeadlinePlusKeepAliveThenEachGreenLoggedOnce()
    {
        var cycles = ReliabilityRun.Pick(1, 5);
        await using var space = await NetworkNamespace.CreateAsync();
        await using var hub = await HubProcess.StartAsync($"--Broker:Address={space.HostAddress}");
        await using var agent = await AgentProcess.EnrolAsync(
            hub,
            DeviceId,
            "commissioning",
            "manufacturer",
            $"--Delivery:PublishTimeout={PublishTimeout:c}",
            $"--Delivery:KeepAlive={KeepAlive:c}",
            "--Logging:LogLevel:SupplyChain.Agent.Delivery.DeliveryService=Information");
        agent.BrokerHost = space.HostAddress;
        agent.CommandPrefix = space.ExecPrefix;
        agent.ScansOnStdin = true;
        await agent.StartAsync();

        var scans = 0;
        var busy = new List<TimeSpan>();
        var idle = new List<TimeSpan>();
        var reconnects = new List<TimeSpan>();
        var gaps = new List<TimeSpan>();
        for (var cycle = 0; cycle < cycles; cycle++)
        {
            // Busy: a scan every second before, during and after the cut.
            using (var scanning = new CancellationTokenSource())
            {
                var scanner = ScanEverySecondAsync(agent, () => scans++, scanning.Token);
                await agent.EventuallyAsync(() => hub.DeviceEvents(DeviceId).Count >= scans && scans >= 2, "delivering before the cut", state: () => $"{scans} scanned");
                var (noticed, reconnected, attemptGaps) = await CutAsync(space, hub, agent, outageAfterNotice: TimeSpan.FromSeconds(1));
                busy.Add(noticed);
                reconnects.Add(reconnected);
                gaps.AddRange(attemptGaps);
                await Task.Delay(TimeSpan.FromSeconds(1));
                await scanning.CancelAsync();
                await scanner;
            }

            // Idle: everything answered, nothing to publish; only the keep-alive can tell.
            await WaitDeliveredAsync(agent, scans);
            await Task.Delay(TimeSpan.FromSeconds(1));
            var (quiet, back, _) = await CutAsync(space, hub, agent, outageAfterNotice: TimeSpan.Zero);
            idle.Add(quiet);
            reconnects.Add(back);
            Assert.True(await agent.ScanAsync(BrokerRestartTests.Scan($"H{scans:D6}")));
            scans++;
        }

        await WaitDeliveredAsync(agent, scans);
        var events = hub.DeviceEvents(DeviceId);
        Assert.Equal(Enumerable.Range(0, scans).Select(i => (long)i), events.Select(e => e.Event.Device.Seq));
        var greens = agent.ReadSignals();
        Assert.All(greens, line => Assert.True(line.IsGreenEvent, line.Text));
        Assert.Equal(events.Select(e => (e.Event.Device.Seq, e.Id)), greens.Select(g => (g.Seq!.Value, g.EventId!.Value)));
        Assert.Equal(0, agent.TryReadStatus()!.Rejected);

        // Within the deadline plus keep-alive (and the second until the next scan when busy); twice that allowed for a
        // loaded machine, where timers fire late.
        var bound = PublishTimeout + KeepAlive;
        Assert.All(busy, d => Assert.True(d < (2 * bound) + TimeSpan.FromSeconds(1), $"busy cut noticed after {d.TotalSeconds:F1} s"));
        Assert.All(idle, d => Assert.True(d < 2 * bound, $"idle cut noticed after {d.TotalSeconds:F1} s"));
        var figure = string.Create(
            CultureInfo.InvariantCulture,
            $"{cycles} busy + {cycles} idle cuts, {scans} scans; noticed after {Seconds(busy)} s publishing every second and {Seconds(idle)} s idle " +
            $"(publish deadline {PublishTimeout.TotalSeconds:F0} s + keep-alive {KeepAlive.TotalSeconds:F0} s = {bound.TotalSeconds:F0} s); " +
            $"reconnected {Seconds(reconnects)} s after the path came back; failed attempts {Seconds(gaps)} s apart; each green logged once in seq order");
        output.WriteLine(figure);
        ReliabilityRun.Record("Half-open network (netns + iptables DROP)", figure);
    }

    /// <summary>
    /// Drops the path, waits until the agent says the connection is lost, keeps it dropped <paramref name="outageAfterNotice"/>
    /// longer, restores it and waits until the agent is connected again. Returns the time to notice, the time to reconnect
    /// after the restore, and the gaps between the failed reconnect attempts in between.
    /// </summary>
    private static async Task<(TimeSpan Noticed, TimeSpan Reconnected, List<TimeSpan> Gaps)> CutAsync(
        NetworkNamespace space, HubProcess hub, AgentProcess agent, TimeSpan outageAfterNotice)
    {
        await space.DropAsync(hub.BrokerPort);
        var cut = Stopwatch.GetTimestamp();
        long? lost = null;
        await agent.EventuallyAsync(() => (lost = FirstAfter(agent, cut, LostText)) is not null, "agent noticed the dead path", TimeSpan.FromSeconds(60));
        await Task.Delay(outageAfterNotice);
        await space.RestoreAsync();
        var restored = Stopwatch.GetTimestamp();
        long? connected = null;
        await agent.EventuallyAsync(() => (connected = FirstAfter(agent, restored, ConnectedText)) is not null, "agent reconnected", TimeSpan.FromSeconds(60));
        var attempts = agent.OutputLines.Where(l => l.Timestamp >= lost!.Value && l.Timestamp <= connected!.Value && l.Line.Contains(LostText, StringComparison.Ordinal))
            .Select(l => l.Timestamp).ToList();
        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b)).ToList();
        return (Stopwatch.GetElapsedTime(cut, lost!.Value), Stopwatch.GetElapsedTime(restored, connected!.Value), gaps);
    }

    private static long? FirstAfter(AgentProcess agent, long since, string text) =>
        agent.OutputLines.Where(l => l.Timestamp > since && l.Line.Contains(text, StringComparison.Ordinal)).Select(l => (long?)l.Timestamp).FirstOrDefault();

    private static async Task ScanEverySecondAsync(AgentProcess agent, Func<int> next, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                Assert.True(await agent.ScanAsync(BrokerRestartTests.Scan($"H{next():D6}")), "scan not sent");
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The busy phase is over.
        }
    }

    private static Task WaitDeliveredAsync(AgentProcess agent, int scans) => agent.EventuallyAsync(
        () => agent.TryReadStatus() is { PendingCustody: 0 } status && status.NextSeq == scans,
        "all delivered",
        TimeSpan.FromSeconds(60),
        () => agent.TryReadStatus()?.ToString() ?? "outbox busy");

    private static string Seconds(List<TimeSpan> values) =>
        values.Count == 0 ? "-" : string.Join("/", values.Select(v => v.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)));
}
