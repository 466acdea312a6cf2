using SupplyChain.Agent.Feedback;
using SupplyChain.Agent.Outbox;
using SupplyChain.Contracts.Events;
using static SupplyChain.Agent.Tests.Station.StationHarness;

namespace SupplyChain.Agent.Tests.Station;

public sealed class StationWorkflowTests
{
    [Fact]
    public void Handle_BadCheckDigit_RedAndNoEvent()
    {
        using var harness = new StationHarness("pharmacy");

        var outcome = harness.Workflow.Handle("0109506000134353" + "21X1");

        Assert.Equal(Signal.Red, outcome.Signal);
        Assert.Contains("check digit", outcome.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(harness.Events());
    }

    [Fact]
    public void Handle_PharmacyPack_OneDispenseEventPerPackAndRepeatIgnored()
    {
        using var harness = new StationHarness("pharmacy");

        Assert.Equal(Signal.Green, harness.Workflow.Handle(Pack("P1")).Signal);
        Assert.Equal(Signal.ShortBeep, harness.Workflow.Handle(Pack("P1")).Signal);
        Assert.Equal(Signal.Green, harness.Workflow.Handle(Pack("P2")).Signal);

        var events = harness.Events();
        Assert.Equal([CustodyEventKind.Dispensing, CustodyEventKind.Dispensing], events.Select(e => e.Kind));
        Assert.Equal([PackUri("P1")], events[0].Epcs);
    }

    [Fact]
    public void Handle_CommissioningPack_EventCarriesLotAndExpiry()
    {
        using var harness = new StationHarness("commissioning");

        Assert.Equal(Signal.Green, harness.Workflow.Handle(Pack("C1", lot: "LOT42", expiry: "280600")).Signal);

        var commissioned = Assert.Single(harness.Events());
        Assert.Equal(CustodyEventKind.Commissioning, commissioned.Kind);
        Assert.Equal("LOT42", commissioned.Lot);
        Assert.Equal(new DateOnly(2028, 6, 30), commissioned.Expiry);
    }

    [Fact]
    public void Handle_CommissioningWithoutLot_Red()
    {
        using var harness = new StationHarness("commissioning");

        var outcome = harness.Workflow.Handle($"01{Gtin}21C1");

        Assert.Equal(Signal.Red, outcome.Signal);
        Assert.Empty(harness.Events());
    }

    [Fact]
    public void Handle_GtinWithoutSerial_Red()
    {
        using var harness = new StationHarness("pharmacy");

        Assert.Equal(Signal.Red, harness.Workflow.Handle($"01{Gtin}").Signal);
    }

    [Fact]
    public void Handle_EndCodeWithoutDestination_RedAndBatchKept()
    {
        using var harness = new StationHarness("dock-out");
        harness.Workflow.Handle(Pack("S1"));

        Assert.Equal(Signal.Red, harness.Workflow.Handle("END").Signal);
        Assert.Equal(Signal.Blink, harness.Workflow.Handle("410" + DestinationGln).Signal);
        Assert.Equal(Signal.Green, harness.Workflow.Handle("END").Signal);

        Assert.Equal([PackUri("S1")], Assert.Single(harness.Events()).Epcs);
    }

    [Fact]
    public void Handle_DockInSenderGln_ReceivingEventFromSender()
    {
        using var harness = new StationHarness("dock-in");

        Assert.Equal(Signal.Red, harness.Workflow.Handle("410" + SiteGln).Signal);
        Assert.Equal(Signal.Blink, harness.Workflow.Handle("414" + DestinationGln).Signal);
        harness.Workflow.Handle(Pack("R1"));
        Assert.Equal(Signal.Green, harness.Workflow.Handle("END").Signal);

        var received = Assert.Single(harness.Events());
        Assert.Equal(CustodyEventKind.Receiving, received.Kind);
        Assert.Equal("https://id.gs1.org/414/" + DestinationGln, received.Party);
    }

    [Fact]
    public void Handle_CustodyQuotaFull_RedAndBatchKeptForRetry()
    {
        using var harness = new StationHarness("dock-out", new OutboxOptions { MaxCustodyEvents = 1 });
        harness.Workflow.Handle("410" + DestinationGln);
        harness.Workflow.Handle(Pack("S1"));
        Assert.Equal(Signal.Green, harness.Workflow.Handle("END").Signal);
        harness.Workflow.Handle("410" + DestinationGln);
        harness.Workflow.Handle(Pack("S2"));

        var refused = harness.Workflow.Handle("END");

        Assert.Equal(Signal.Red, refused.Signal);
        Assert.Contains("Outbox:MaxCustodyEvents", refused.Reason, StringComparison.Ordinal);
        Assert.True(harness.Workflow.HasOpenBatch);
    }

    [Fact]
    public void CloseIdleBatch_NoDestination_RedAndDiscarded()
    {
        using var harness = new StationHarness("dock-out");
        harness.Workflow.Handle(Pack("S1"));

        Assert.Equal(Signal.Red, harness.Workflow.CloseIdleBatch()!.Value.Signal);

        Assert.False(harness.Workflow.HasOpenBatch);
        Assert.Empty(harness.Events());
    }

    [Fact]
    public void Handle_StorageRole_Red()
    {
        using var harness = new StationHarness("storage");

        Assert.Equal(Signal.Red, harness.Workflow.Handle(Pack("S1")).Signal);
    }
}
