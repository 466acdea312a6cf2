using SupplyChain.Agent.Feedback;
using SupplyChain.Agent.Station;
using SupplyChain.Contracts.Events;
using static SupplyChain.Agent.Tests.Station.StationHarness;

namespace SupplyChain.Agent.Tests.Station;

/// <summary>A station serving several roles switches on mode barcodes (OPERATIONS.md "Stations with several roles").</summary>
public sealed class StationModeTests
{
    [Fact]
    public void Handle_ModeCode_SwitchesGreenAndLaterScansUseTheNewRole()
    {
        using var harness = new StationHarness(["commissioning", "dock-out"]);
        Assert.Equal(StationRole.Commissioning, harness.Workflow.Mode);

        Assert.Equal(Signal.Green, harness.Workflow.Handle(Pack("C1")).Signal);
        Assert.Equal(Signal.Green, harness.Workflow.Handle("MODE-DOCK-OUT").Signal);
        Assert.Equal(StationRole.DockOut, harness.Workflow.Mode);
        Assert.Equal(Signal.Blink, harness.Workflow.Handle("410" + DestinationGln).Signal);
        Assert.Equal(Signal.Blink, harness.Workflow.Handle(Pack("C1")).Signal);
        Assert.Equal(Signal.Green, harness.Workflow.Handle("END").Signal);

        var events = harness.Events();
        Assert.Equal([CustodyEventKind.Commissioning, CustodyEventKind.Shipping], events.Select(e => e.Kind));
        Assert.Equal([PackUri("C1")], events[1].Epcs);
    }

    [Fact]
    public void Handle_ModeCodeWhileBatchHoldsPacks_RedAndBatchRecordedUnderItsOwnMode()
    {
        using var harness = new StationHarness(["dock-in", "pharmacy"]);
        harness.Workflow.Handle("414" + DestinationGln);
        harness.Workflow.Handle(Pack("R1"));

        var refused = harness.Workflow.Handle("MODE-PHARMACY");

        Assert.Equal(Signal.Red, refused.Signal);
        Assert.Contains("1 pack(s) is open", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(StationRole.DockIn, harness.Workflow.Mode);
        Assert.True(harness.Workflow.HasOpenBatch);
        Assert.Empty(harness.Events());

        Assert.Equal(Signal.Green, harness.Workflow.Handle("END").Signal);
        Assert.Equal(Signal.Green, harness.Workflow.Handle("MODE-PHARMACY").Signal);
        Assert.Equal(Signal.Green, harness.Workflow.Handle(Pack("R1")).Signal);
        Assert.Equal([CustodyEventKind.Receiving, CustodyEventKind.Dispensing], harness.Events().Select(e => e.Kind));
    }

    [Fact]
    public void Handle_ModeCodeWithOnlyContainerAndPartyScanned_BatchDiscardedAndSwitched()
    {
        using var harness = new StationHarness(["dock-out", "dock-in"]);
        harness.Workflow.Handle("00" + Sscc);
        harness.Workflow.Handle("410" + DestinationGln);

        Assert.Equal(Signal.Green, harness.Workflow.Handle("MODE-DOCK-IN").Signal);

        Assert.False(harness.Workflow.HasOpenBatch);
        Assert.Equal(StationRole.DockIn, harness.Workflow.Mode);
        Assert.Null(harness.Workflow.CloseIdleBatch());
        Assert.Empty(harness.Events());
    }

    [Fact]
    public void Handle_ModeCodeOfCurrentMode_ShortBeep()
    {
        using var harness = new StationHarness(["dock-in", "pharmacy"]);

        Assert.Equal(Signal.ShortBeep, harness.Workflow.Handle("MODE-DOCK-IN").Signal);
        Assert.Equal(StationRole.DockIn, harness.Workflow.Mode);
    }

    [Theory]
    [InlineData("pharmacy", "MODE-DOCK-OUT", "does not serve dock-out")]
    [InlineData("dock-in", "MODE-COMMISSIONING", "does not serve commissioning")]
    public void Handle_ModeCodeOfRoleNotServed_RedNamingTheRole(string role, string code, string expected)
    {
        using var harness = new StationHarness(role);

        var outcome = harness.Workflow.Handle(code);

        Assert.Equal(Signal.Red, outcome.Signal);
        Assert.Contains(expected, outcome.Reason, StringComparison.Ordinal);
        Assert.Empty(harness.Events());
    }

    [Fact]
    public void Handle_ConfiguredModeCode_ReplacesTheDefault()
    {
        using var harness = new StationHarness(["dock-in", "pharmacy"], new Dictionary<string, string> { ["pharmacy"] = "CARD-DISPENSE" });

        Assert.Equal(Signal.Red, harness.Workflow.Handle("MODE-PHARMACY").Signal);
        Assert.Equal(StationRole.DockIn, harness.Workflow.Mode);
        Assert.Equal(Signal.Green, harness.Workflow.Handle(" CARD-DISPENSE ").Signal);
        Assert.Equal(StationRole.Pharmacy, harness.Workflow.Mode);
        Assert.Equal(Signal.Green, harness.Workflow.Handle("MODE-DOCK-IN").Signal);
    }

    [Fact]
    public void Handle_SwitchBackToSingleScanMode_RecentPacksStillRecordedOnce()
    {
        using var harness = new StationHarness(["pharmacy", "dock-in"]);
        harness.Workflow.Handle(Pack("P1"));
        harness.Workflow.Handle("MODE-DOCK-IN");
        harness.Workflow.Handle("MODE-PHARMACY");

        Assert.Equal(Signal.ShortBeep, harness.Workflow.Handle(Pack("P1")).Signal);
        Assert.Single(harness.Events());
    }

    [Fact]
    public void CloseIdleBatch_AfterSwitchToDockOut_ShippingEvent()
    {
        using var harness = new StationHarness(["dock-in", "dock-out"]);
        harness.Workflow.Handle("MODE-DOCK-OUT");
        harness.Workflow.Handle("410" + DestinationGln);
        harness.Workflow.Handle(Pack("S1"));

        Assert.Equal(Signal.Green, harness.Workflow.CloseIdleBatch()?.Signal);

        Assert.Equal(CustodyEventKind.Shipping, Assert.Single(harness.Events()).Kind);
    }

    [Theory]
    [InlineData(new[] { "commissioning", "dock-out" }, "commissioning")]
    [InlineData(new[] { "dock-out", "commissioning" }, "commissioning")]
    [InlineData(new[] { "dock-in", "pharmacy" }, "pharmacy")]
    [InlineData(new[] { "dock-out", "dock-in" }, "dock-out")]
    [InlineData(new[] { "storage" }, "storage")]
    public void EnrolledAs_Roles_TheRoleTheHubMustEnrol(string[] names, string expected)
    {
        var options = new StationOptions();
        foreach (var name in names)
        {
            options.Roles.Add(name);
        }

        Assert.Equal(expected, StationRoles.Name(StationRoles.EnrolledAs(options.GetRoles())));
        Assert.Equal(names[0], StationRoles.Name(options.GetRole()));
    }

    [Fact]
    public void ModeCodeOf_Unconfigured_ModeAndUpperCaseName()
    {
        var options = new StationOptions();
        options.ModeCodes["Dock-In"] = "CARD-IN";

        Assert.Equal("MODE-DOCK-OUT", options.ModeCodeOf(StationRole.DockOut));
        Assert.Equal("CARD-IN", options.ModeCodeOf(StationRole.DockIn));
    }
}
