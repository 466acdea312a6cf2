using Microsoft.Extensions.Logging.Abstractions;
using SupplyChain.Agent.Feedback;
using SupplyChain.Agent.Outbox;
using SupplyChain.Agent.Recalls;
using SupplyChain.Agent.Station;
using SupplyChain.Agent.Tests.Outbox;

namespace SupplyChain.Agent.Tests.Recalls;

/// <summary>The station workflow with a real recall store holding a signed list: which roles refuse a recalled pack.</summary>
public sealed class StationRecallCheckTests : IDisposable
{
    private readonly OutboxFixture _fixture = new();
    private readonly SignedLists _lists = new();
    private readonly RecallStore _store;

    public StationRecallCheckTests()
    {
        _store = RecallStore.Open(SignedLists.Site, _lists.Hub.Verifier, _fixture.DirectoryPath, NullLogger<RecallStore>.Instance);
        Assert.Equal(RecallUpdateKind.Applied, _store.Offer(_lists.Note(42, SignedLists.Site, ("A1", "R-2"))).Kind);
    }

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Handle_RecalledPackAtPharmacy_RedWithTheRecallAndNoEvent()
    {
        var workflow = Workflow("pharmacy");

        var outcome = workflow.Handle(SignedLists.Scan("A1"));

        Assert.Equal(ScanOutcome.Red("recalled (R-2)"), outcome);
        Assert.Equal(0, _fixture.Outbox.ReadStatus().PendingCustody);
    }

    [Fact]
    public void Handle_UnlistedPackAtPharmacy_GreenAndDispensed()
    {
        var workflow = Workflow("pharmacy");

        Assert.Equal(ScanOutcome.Green, workflow.Handle(SignedLists.Scan("A2")));
        Assert.Equal(1, _fixture.Outbox.ReadStatus().PendingCustody);
    }

    [Fact]
    public void Handle_RecalledPackAtDockIn_RedAndNotInTheReceivedBatch()
    {
        var workflow = Workflow("dock-in");
        Assert.Equal(Signal.Blink, workflow.Handle($"414{SignedLists.OtherSiteGln}").Signal);
        Assert.Equal(Signal.Blink, workflow.Handle(SignedLists.Scan("A2")).Signal);

        Assert.Equal(ScanOutcome.Red("recalled (R-2)"), workflow.Handle(SignedLists.Scan("A1")));
        Assert.Equal(ScanOutcome.Green, workflow.Handle("END"));

        var received = Assert.Single(_fixture.Outbox.TakePending(10, OutboxKinds.All));
        var custody = Station.StationHarness.Decode(received, _fixture.Identity.Signer.PublicKey);
        Assert.Equal([OutboxFixture.Pack("A2")], custody.Epcs);
    }

    [Theory]
    [InlineData("dock-out")]
    [InlineData("commissioning")]
    public void Handle_RecalledPackAtOtherRoles_NotChecked(string role)
    {
        var workflow = Workflow(role);

        var outcome = workflow.Handle(SignedLists.Scan("A1") + "\u001D10L1\u001D17271231");

        Assert.NotEqual(Signal.Red, outcome.Signal);
    }

    private StationWorkflow Workflow(string role) => new(
        new StationOptions { Role = role, SiteGln = SignedLists.SiteGln, DeviceId = "dock-7", DataDirectory = _fixture.DirectoryPath },
        _fixture.Outbox,
        _fixture.Time,
        NullLogger<StationWorkflow>.Instance,
        _store);
}
