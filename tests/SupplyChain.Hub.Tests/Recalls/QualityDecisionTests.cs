using System.Text;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Tests.Recalls;

/// <summary>The quality decisions' leaf JSON (PROTOCOL.md §4.6) and how <see cref="LogFacts"/> reads it back.</summary>
public sealed class QualityDecisionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 7, 0, 0, 123, TimeSpan.Zero);

    private static readonly Gtin Gtin = GtinOf("09506000134352");

    [Fact]
    public void Encode_RecallOpenedByLot_ExactlyTheDocumentedBytes()
    {
        var body = QualityDecision.Opened("R-20261124-3FA2C1", new LotRecallScope(Gtin, "L1"), "supplier notice 42: sterility", "anna", T0).Encode();

        // PROTOCOL.md §4.6 "Hub decisions: recalls and quarantine releases" shows this line.
        Assert.Equal(
            """{"type":"coldtrace.hub-decision.v1","decision":"recall_opened","recallId":"R-20261124-3FA2C1","scope":{"type":"lot","gtin":"09506000134352","lot":"L1"},"reason":"supplier notice 42: sterility","actor":"anna","time":"2026-11-24T07:00:00.123Z"}""",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Encode_ReleaseAndClose_ExactlyTheDocumentedBytes()
    {
        var pack = new PackKey(Gtin, SerialOf("S1"));

        Assert.Equal(
            """{"type":"coldtrace.hub-decision.v1","decision":"quarantine_released","packs":["https://id.gs1.org/01/09506000134352/21/S1"],"reason":"logger fault, product within range","actor":"anna","time":"2026-11-24T07:00:00.123Z"}""",
            Encoding.UTF8.GetString(QualityDecision.Released([pack, pack], "logger fault, product within range", "anna", T0).Encode()));
        Assert.Equal(
            """{"type":"coldtrace.hub-decision.v1","decision":"recall_closed","recallId":"R-20261124-3FA2C1","reason":"all packs returned","actor":"anna","time":"2026-11-24T07:00:00.123Z"}""",
            Encoding.UTF8.GetString(QualityDecision.Closed("R-20261124-3FA2C1", "all packs returned", "anna", T0).Encode()));
    }

    public static TheoryData<string> Scopes() =>
    [
        "lot",
        "serials",
        "container",
        "exposure-site",
        "exposure-container",
    ];

    [Theory]
    [MemberData(nameof(Scopes))]
    public void Read_RecallOpenedLeaf_FactWithTheSameScope(string name)
    {
        var scope = ScopeNamed(name);
        var entry = Leaf(QualityDecision.Opened("R-1", scope, "why", "anna", T0).Encode());

        var fact = Assert.IsType<RecallOpened>(LogFacts.Read(entry));

        Assert.Equal(("R-1", "anna", "why", T0), (fact.RecallId, fact.Actor, fact.Reason, fact.Time));
        Assert.Equal(RecallScopeWire.Of(scope), RecallScopeWire.Of(fact.Scope), new WireComparer());
    }

    [Fact]
    public void Read_ClosedAndReleasedLeaves_Facts()
    {
        var pack = new PackKey(Gtin, SerialOf("S/1"));

        var closed = Assert.IsType<RecallClosed>(LogFacts.Read(Leaf(QualityDecision.Closed("R-1", "done", "bob", T0).Encode())));
        var released = Assert.IsType<QuarantineReleased>(LogFacts.Read(Leaf(QualityDecision.Released([pack], "ok", "bob", T0).Encode())));

        Assert.Equal(("R-1", "bob", "done"), (closed.RecallId, closed.Actor, closed.Reason));
        Assert.Equal([pack], released.Packs);
        Assert.Equal(T0, released.Time);
    }

    [Theory]
    [InlineData("""{"type":"coldtrace.hub-decision.v1","decision":"recall_opened","recallId":"R-1","reason":"r","actor":"a","time":"2026-11-24T07:00:00.123Z"}""")]
    [InlineData("""{"type":"coldtrace.hub-decision.v1","decision":"recall_opened","recallId":"R-1","scope":{"type":"lot","gtin":"09506000134353","lot":"L1"},"reason":"r","actor":"a","time":"2026-11-24T07:00:00.123Z"}""")]
    [InlineData("""{"type":"coldtrace.hub-decision.v1","decision":"recall_opened","recallId":"R-1","scope":{"type":"exposure","location":"9506000134383","from":"2026-11-24T08:00:00.000Z","to":"2026-11-24T07:00:00.000Z"},"reason":"r","actor":"a","time":"2026-11-24T07:00:00.123Z"}""")]
    [InlineData("""{"type":"coldtrace.hub-decision.v1","decision":"recall_closed","reason":"r","actor":"a","time":"2026-11-24T07:00:00.123Z"}""")]
    [InlineData("""{"type":"coldtrace.hub-decision.v1","decision":"quarantine_released","packs":[],"reason":"r","actor":"a","time":"2026-11-24T07:00:00.123Z"}""")]
    [InlineData("""{"type":"coldtrace.hub-decision.v1","decision":"quarantine_released","packs":["https://id.gs1.org/00/006141411234567890"],"reason":"r","actor":"a","time":"2026-11-24T07:00:00.123Z"}""")]
    [InlineData("""{"type":"other","decision":"recall_closed","recallId":"R-1","reason":"r","actor":"a","time":"2026-11-24T07:00:00.123Z"}""")]
    [InlineData("""{"type":"coldtrace.hub-decision.v1","decision":"recall_closed","recallId":"R-1","reason":"r","actor":"a","time":"yesterday"}""")]
    [InlineData("""{"type":"coldtrace.hub-decision.v1","decision":"recall_closed","recallId":"R-1","actor":"a","time":"2026-11-24T07:00:00.123Z"}""")]
    [InlineData("""{"decision":"recall_closed",""")]
    public void Read_MalformedQualityDecision_NoFact(string body) => Assert.Null(LogFacts.Read(Leaf(Encoding.UTF8.GetBytes(body))));

    [Fact]
    public void Rules_LoggedDecisionsInOrder_RecallBlocksThenCloseLifts()
    {
        var rules = new CustodyRules();
        var site = GlnOf("9506000134376");
        rules.Apply(new DeviceEnrolled("maker", site, SiteRole.Manufacturer, "admin", T0));
        var stamp = new Contracts.Events.DeviceStamp("maker", 0, Contracts.Signing.EventId.None, "b", ClockSynced: true);
        var commission = Contracts.Events.CustodyEvents.Commission(T0, stamp, "https://id.gs1.org/414/9506000134376", ["https://id.gs1.org/01/09506000134352/21/S1"], "L1", new DateOnly(2030, 1, 31));
        rules.Apply(new DeviceEventFact(Contracts.Signing.EventId.Compute([1]), commission));
        var pack = new PackKey(Gtin, SerialOf("S1"));

        var opened = rules.Apply(LogFacts.Read(Leaf(QualityDecision.Opened("R-1", new LotRecallScope(Gtin, "L1"), "why", "anna", T0).Encode()))!);
        var whileOpen = rules.Verify(pack, null, null, null, T0);
        var closed = rules.Apply(LogFacts.Read(Leaf(QualityDecision.Closed("R-1", "done", "anna", T0).Encode()))!);
        var afterClose = rules.Verify(pack, null, null, null, T0);

        Assert.True(opened.IsGreen);
        Assert.Equal(PackStatus.Recalled, whileOpen.Status);
        Assert.True(closed.IsGreen);
        Assert.True(afterClose.Verified);
    }

    private static RecallScope ScopeNamed(string name)
    {
        var sscc = SsccOf("006141411234567890");
        var gln = GlnOf("9506000134383");
        return name switch
        {
            "lot" => new LotRecallScope(Gtin, "L\"1/2%"),
            "serials" => new SerialsRecallScope([new PackKey(Gtin, SerialOf("B")), new PackKey(Gtin, SerialOf("A%1"))]),
            "container" => new ContainerRecallScope(sscc),
            "exposure-site" => new ExposureRecallScope(Place.Site(gln), T0.AddHours(-2), T0),
            _ => new ExposureRecallScope(Place.Container(sscc), T0.AddHours(-2), T0),
        };
    }

    private static StoredEntry Leaf(byte[] body) => new(0, LogLeaf.Encode(LogLeafKind.HubDecision, body), []);

    private static Gtin GtinOf(string text)
    {
        Assert.True(Gtin.TryParse(text, out var value, out var reason), reason);
        return value;
    }

    private static Serial SerialOf(string text)
    {
        Assert.True(Serial.TryParse(text, out var value, out var reason), reason);
        return value;
    }

    private static Gln GlnOf(string text)
    {
        Assert.True(Gln.TryParse(text, out var value, out var reason), reason);
        return value;
    }

    private static Sscc SsccOf(string text)
    {
        Assert.True(Sscc.TryParse(text, out var value, out var reason), reason);
        return value;
    }

    /// <summary>Scopes compared by their canonical wire form (lists compared by content).</summary>
    private sealed class WireComparer : IEqualityComparer<RecallScopeWire>
    {
        public bool Equals(RecallScopeWire? x, RecallScopeWire? y) =>
            x is not null && y is not null
            && (x with { Packs = null }) == (y with { Packs = null })
            && (x.Packs ?? []).SequenceEqual(y.Packs ?? []);

        public int GetHashCode(RecallScopeWire obj) => obj.Type.GetHashCode(StringComparison.Ordinal);
    }
}
