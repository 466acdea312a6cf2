using SupplyChain.Agent.Feedback;
using SupplyChain.Contracts.Events;
using static SupplyChain.Agent.Tests.Station.StationHarness;

namespace SupplyChain.Agent.Tests.Station;

public sealed class StationServiceTests
{
    [Fact]
    public async Task Run_DockOutBatchWithEndCode_OneSignedShippingEvent()
    {
        using var harness = new StationHarness("dock-out");
        var source = new ScriptedScanSource(
            "00" + Sscc, "410" + DestinationGln, Pack("S1"), Pack("S2"), Pack("S2"), "0109506000134353" + "21S9", Pack("S3"), "END");
        var feedback = new RecordingFeedback();
        using var service = StationServiceFactory.Create(harness, source, feedback);

        await service.StartAsync(CancellationToken.None);
        await feedback.WaitForAsync(8);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(
            [Signal.Blink, Signal.Blink, Signal.Blink, Signal.Blink, Signal.ShortBeep, Signal.Red, Signal.Blink, Signal.Green],
            feedback.Signals);
        var shipped = Assert.Single(harness.Events());
        Assert.Equal(CustodyEventKind.Shipping, shipped.Kind);
        Assert.Equal([PackUri("S1"), PackUri("S2"), PackUri("S3"), "https://id.gs1.org/00/" + Sscc], shipped.Epcs);
        Assert.Equal("https://id.gs1.org/00/" + Sscc, shipped.Container);
        Assert.Equal("https://id.gs1.org/414/" + DestinationGln, shipped.Party);
        Assert.Equal("https://id.gs1.org/414/" + SiteGln, shipped.ReadPoint);
    }

    [Fact]
    public async Task Run_DockOutBatchIdle_ClosedByTimeout()
    {
        using var harness = new StationHarness("dock-out");
        var feedback = new RecordingFeedback();
        using var service = StationServiceFactory.Create(harness, new ScriptedScanSource("410" + DestinationGln, Pack("S1")), feedback);
        await service.StartAsync(CancellationToken.None);
        await feedback.WaitForAsync(2);

        harness.Fixture.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(harness.Events());
        harness.Fixture.Time.Advance(TimeSpan.FromMinutes(1));
        await feedback.WaitForAsync(3);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal([Signal.Blink, Signal.Blink, Signal.Green], feedback.Signals);
        Assert.Equal([PackUri("S1")], Assert.Single(harness.Events()).Epcs);
    }

    [Fact]
    public async Task Run_ScanDuringIdleWait_TimeoutCountsFromLatestScan()
    {
        using var harness = new StationHarness("dock-out");
        var source = new ChannelScanSource();
        var feedback = new RecordingFeedback();
        using var service = StationServiceFactory.Create(harness, source, feedback);
        await service.StartAsync(CancellationToken.None);
        source.Scan("410" + DestinationGln);
        await feedback.WaitForAsync(1);

        harness.Fixture.Time.Advance(TimeSpan.FromSeconds(90));
        source.Scan(Pack("S1"));
        await feedback.WaitForAsync(2);
        harness.Fixture.Time.Advance(TimeSpan.FromSeconds(90));
        await Task.Delay(50);
        Assert.Equal(2, feedback.Signals.Count);
        harness.Fixture.Time.Advance(TimeSpan.FromSeconds(30));
        await feedback.WaitForAsync(3);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal([Signal.Blink, Signal.Blink, Signal.Green], feedback.Signals);
        Assert.Single(harness.Events());
    }

    [Fact]
    public async Task Run_FeedbackFails_StationKeepsRecording()
    {
        using var harness = new StationHarness("pharmacy");
        using var service = StationServiceFactory.Create(harness, new ScriptedScanSource(Pack("P1"), Pack("P2")), new BrokenFeedback());

        await service.StartAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (harness.Fixture.Outbox.ReadStatus().PendingCustody < 2)
        {
            await Task.Delay(5, timeout.Token);
        }

        await service.StopAsync(CancellationToken.None);
        Assert.Equal(2, harness.Events().Count);
    }

    private sealed class BrokenFeedback : IFeedback
    {
        public ValueTask ShowAsync(Signal signal, CancellationToken cancellationToken) =>
            throw new IOException("GPIO chip gone");
    }
}
