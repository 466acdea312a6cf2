using SupplyChain.Contracts.Rules;
using static SupplyChain.Contracts.Tests.Rules.Chain;

namespace SupplyChain.Contracts.Tests.Rules;

public sealed class RecallTests
{
    private static readonly PackKey[] Lot42 = [Pack("L42-1"), Pack("L42-2")];
    private static readonly PackKey OtherLot = Pack("L43-1");
    private static readonly PackKey SameLotOtherGtin = Pack("L42-T", Tablets);

    /// <summary>Window of the exposure recalls: the pharmacy, 10:00–12:00.</summary>
    private static readonly DateTimeOffset From = T0.Date.AddHours(10);
    private static readonly DateTimeOffset To = T0.Date.AddHours(12);

    [Fact]
    public void Open_ByLot_SelectsExactlyThatLotOfThatGtin()
    {
        var chain = new Chain();
        chain.Commission(T0, LotNumber, Expires, [.. Lot42, SameLotOtherGtin]).AssertGreen();
        chain.Commission(T0, "LOT43", Expires, OtherLot).AssertGreen();

        var outcome = chain.Recall("R-LOT", new LotRecallScope(Vaccine, LotNumber), T0.AddHours(1));

        outcome.AssertGreen();
        Assert.Equal(Lot42, outcome.Changes.Select(c => c.Pack));
        Assert.Equal(Lot42, chain.Rules.Impact("R-LOT")!.Packs);
        Assert.All(Lot42, p => Assert.Equal(["R-LOT"], chain.Rules.Find(p)!.Recalls));
        Assert.Empty(chain.Rules.Find(OtherLot)!.Recalls);
        Assert.Empty(chain.Rules.Find(SameLotOtherGtin)!.Recalls);
    }

    [Fact]
    public void Open_ByLot_AlsoCoversPacksCommissionedLater()
    {
        var chain = new Chain();
        chain.Recall("R-LOT", new LotRecallScope(Vaccine, LotNumber), T0).AssertGreen();

        chain.Commission(T0.AddHours(1), Lot42).AssertGreen();

        Assert.Equal(Lot42, chain.Rules.Impact("R-LOT")!.Packs);
    }

    [Fact]
    public void Open_BySerialList_SelectsExactlyThoseSerials()
    {
        var chain = new Chain();
        chain.Commission(T0, Lot42).AssertGreen();
        chain.Commission(T0, "LOT43", Expires, OtherLot).AssertGreen();

        chain.Recall("R-SER", new SerialsRecallScope([Lot42[1], OtherLot, Pack("NEVER-MADE")]), T0.AddHours(1)).AssertGreen();

        Assert.Equal([Lot42[1], OtherLot], chain.Rules.Impact("R-SER")!.Packs);
        Assert.Empty(chain.Rules.Find(Lot42[0])!.Recalls);
    }

    [Fact]
    public void Open_ByContainer_SelectsPacksThatTravelledInIt()
    {
        var chain = new Chain();
        chain.Commission(T0, Lot42).AssertGreen();
        chain.Commission(T0, "LOT43", Expires, OtherLot).AssertGreen();
        chain.Move(T0.AddHours(1), T0.AddHours(2), Maker, Wholesaler, [Lot42[0]], Box1);
        chain.Move(T0.AddHours(1), T0.AddHours(2), Maker, Wholesaler, [Lot42[1]], Box2);
        chain.Ship(T0.AddHours(3), Maker, Pharmacy, [OtherLot], Box1).AssertGreen();

        chain.Recall("R-BOX", new ContainerRecallScope(Box1), T0.AddHours(4)).AssertGreen();

        var impact = chain.Rules.Impact("R-BOX")!;
        Assert.Equal([Lot42[0], OtherLot], impact.Packs);

        // One pack is at the wholesaler, the other on its way from the maker to the pharmacy.
        Assert.Equal([Maker, Wholesaler, Pharmacy], impact.Sites);
    }

    [Fact]
    public void Open_ByExposureWindow_SelectsPacksThereAtAnyInstantOfTheWindow()
    {
        var chain = new Chain();
        PackKey fullyInside = Pack("IN"), leftDuring = Pack("LEFT"), arrivedDuring = Pack("ARRIVED"),
            leftBefore = Pack("BEFORE"), arrivedAfter = Pack("AFTER"), elsewhere = Pack("ELSEWHERE"), leftAtStart = Pack("AT-START");
        chain.Commission(T0, fullyInside, leftDuring, arrivedDuring, leftBefore, arrivedAfter, elsewhere, leftAtStart).AssertGreen();
        var day = T0.Date;
        chain.Move(day.AddHours(9), day.AddHours(9.5), Maker, Pharmacy, [leftDuring, leftBefore, leftAtStart]);
        chain.Move(day.AddHours(9), day.AddHours(10.5), Maker, Pharmacy, [fullyInside]);
        chain.Move(day.AddHours(9), day.AddHours(11.5), Maker, Pharmacy, [arrivedDuring]);
        chain.Move(day.AddHours(9), day.AddHours(12), Maker, Pharmacy, [arrivedAfter]);
        chain.Move(day.AddHours(9), day.AddHours(9.5), Maker, Wholesaler, [elsewhere]);
        chain.Dispense(day.AddHours(9.75), Pharmacy, leftBefore).Outcome.AssertGreen();
        chain.Dispense(day.AddHours(10), Pharmacy, leftAtStart).Outcome.AssertGreen();
        chain.Dispense(day.AddHours(10.25), Pharmacy, leftDuring).Outcome.AssertGreen();
        chain.Dispense(day.AddHours(11.75), Pharmacy, fullyInside).Outcome.AssertGreen();

        chain.Recall("R-FRIDGE", new ExposureRecallScope(Place.Site(Pharmacy), From, To), day.AddHours(13)).AssertGreen();

        Assert.Equal(new[] { fullyInside, leftDuring, arrivedDuring }.Order(), chain.Rules.Impact("R-FRIDGE")!.Packs);
    }

    [Fact]
    public void Open_ByExposureWindowOfContainer_PartlyInsideIncluded()
    {
        var chain = new Chain();
        PackKey a = Pack("A"), b = Pack("B");
        chain.Commission(T0, a, b).AssertGreen();
        var day = T0.Date;
        chain.Move(day.AddHours(8), day.AddHours(10.5), Maker, Wholesaler, [a], Box1);
        chain.Move(day.AddHours(8), day.AddHours(9.5), Maker, Wholesaler, [b], Box1);

        chain.Recall("R-BOXWIN", new ExposureRecallScope(Place.Container(Box1), From, To), day.AddHours(13)).AssertGreen();

        Assert.Equal([a], chain.Rules.Impact("R-BOXWIN")!.Packs);
    }

    [Fact]
    public void RecalledPacksAt_ListsHeldAndIncomingRecalledPacks()
    {
        var chain = new Chain();
        chain.Commission(T0, Lot42).AssertGreen();
        chain.Commission(T0, "LOT43", Expires, OtherLot).AssertGreen();
        chain.Move(T0.AddHours(1), T0.AddHours(2), Maker, Pharmacy, [Lot42[0]]);
        chain.Ship(T0.AddHours(1), Maker, Pharmacy, [Lot42[1]]).AssertGreen();
        chain.Move(T0.AddHours(1), T0.AddHours(2), Maker, Pharmacy, [OtherLot]);

        chain.Recall("R-LOT", new LotRecallScope(Vaccine, LotNumber), T0.AddHours(3)).AssertGreen();

        Assert.Equal(Lot42, chain.Rules.RecalledPacksAt(Pharmacy));
        Assert.Equal([Lot42[1]], chain.Rules.RecalledPacksAt(Maker));
        Assert.Empty(chain.Rules.RecalledPacksAt(Wholesaler));
    }

    [Fact]
    public void Close_LiftsTheBlock()
    {
        var chain = new Chain();
        chain.Commission(T0, Lot42).AssertGreen();
        chain.Recall("R-LOT", new LotRecallScope(Vaccine, LotNumber), T0.AddHours(1)).AssertGreen();

        chain.Apply(new RecallClosed("R-LOT", "qa.lead@example.com", "False alarm: assay repeated", T0.AddHours(2))).AssertGreen();

        Assert.Empty(chain.Rules.OpenRecalls);
        Assert.Null(chain.Rules.Impact("R-LOT"));
        Assert.All(Lot42, p => Assert.Empty(chain.Rules.Find(p)!.Recalls));
        chain.Ship(T0.AddHours(3), Maker, Wholesaler, Lot42).AssertGreen();
    }

    [Fact]
    public void Open_WithoutActorOrWithUsedId_Red()
    {
        var chain = new Chain();
        var scope = new LotRecallScope(Vaccine, LotNumber);

        chain.Apply(new RecallOpened("R-1", scope, "", "reason", T0)).AssertRed(RuleReason.MissingActorOrReason);
        chain.Recall("R-1", scope, T0).AssertGreen();
        chain.Recall("R-1", scope, T0).AssertRed(RuleReason.RecallIdConflict);
        chain.Apply(new RecallClosed("R-2", "qa", "reason", T0)).AssertRed(RuleReason.RecallIdConflict);
    }

    [Fact]
    public void Select_PlaceScopes_SameAsScanningEveryPack()
    {
        // The engine answers place-bound scopes from its index of the packs each place has seen; the answer must be the
        // one a scan of every pack gives.
        var chain = new Chain();
        PackKey a = Pack("A"), b = Pack("B"), c = Pack("C"), d = Pack("D");
        chain.Commission(T0, a, b, c, d).AssertGreen();
        var day = T0.Date;
        chain.Move(day.AddHours(8), day.AddHours(10.5), Maker, Wholesaler, [a], Box1);
        chain.Move(day.AddHours(8), day.AddHours(9.5), Maker, Pharmacy, [b], Box2);
        chain.Move(day.AddHours(9), day.AddHours(11), Maker, Pharmacy, [c]);

        RecallScope[] scopes =
        [
            new ExposureRecallScope(Place.Site(Pharmacy), From, To),
            new ExposureRecallScope(Place.Site(Maker), From, To),
            new ExposureRecallScope(Place.Site(Wholesaler), day.AddHours(-5), day.AddHours(-4)),
            new ExposureRecallScope(Place.Container(Box1), From, To),
            new ContainerRecallScope(Box1),
            new ContainerRecallScope(Box2),
            new LotRecallScope(Vaccine, LotNumber),
        ];
        foreach (var scope in scopes)
        {
            Assert.Equal(Recalls.Select(scope, chain.Rules.Packs), chain.Rules.Select(scope));
        }

        Assert.Equal([a], chain.Rules.Select(new ContainerRecallScope(Box1)));
        Assert.Equal(new[] { b, c }.Order(), chain.Rules.Select(new ExposureRecallScope(Place.Site(Pharmacy), From, To)));
        Assert.Empty(chain.Rules.Select(new ExposureRecallScope(Place.Site(Wholesaler), day.AddHours(-5), day.AddHours(-4))));
    }

    [Fact]
    public void Select_IsThePureFormOfTheEngineSelection()
    {
        var chain = new Chain();
        chain.Commission(T0, Lot42).AssertGreen();
        chain.Commission(T0, "LOT43", Expires, OtherLot).AssertGreen();

        Assert.Equal(Lot42, Recalls.Select(new LotRecallScope(Vaccine, LotNumber), chain.Rules.Packs));
        Assert.Equal([Maker], Recalls.SitesOf(chain.Rules.Packs));
    }

    [Fact]
    public void Covers_ScopeAndSerialFromAnotherGtin_NotCovered()
    {
        var state = new PackState
        {
            Key = Pack("X", Tablets),
            Lot = LotNumber,
            Expiry = Expires,
            CommissionedTime = T0,
            Lifecycle = PackLifecycle.Active,
            Custodian = Maker,
            Since = T0,
        };

        Assert.False(new SerialsRecallScope([Pack("X")]).Covers(state));
        Assert.True(new SerialsRecallScope([Pack("X", Tablets)]).Covers(state));
        Assert.False(new LotRecallScope(Vaccine, LotNumber).Covers(state));
        Assert.True(new LotRecallScope(Tablets, LotNumber).Covers(state));
        Assert.False(new LotRecallScope(Tablets, "lot42a").Covers(state));
    }
}
