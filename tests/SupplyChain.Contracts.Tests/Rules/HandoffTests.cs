using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Rules;
using static SupplyChain.Contracts.Tests.Rules.Chain;

namespace SupplyChain.Contracts.Tests.Rules;

public sealed class HandoffTests
{
    private static readonly PackKey A = Pack("A1");
    private static readonly PackKey B = Pack("B2");

    [Fact]
    public void Apply_ShipThenReceiveByAddressee_MovesCustody()
    {
        var chain = new Chain();
        chain.Commission(T0, A, B).AssertGreen();

        var shipped = chain.Ship(T0.AddHours(1), Maker, Wholesaler, [A, B], Box1);
        shipped.AssertGreen();
        var inTransit = chain.Rules.Find(A)!;
        Assert.Equal(PackLifecycle.InTransit, inTransit.Lifecycle);
        Assert.Equal(Maker, inTransit.Custodian);
        Assert.Equal(Wholesaler, inTransit.ShippedTo);
        Assert.Equal(Box1, inTransit.Container);
        Assert.Equal([A, B], shipped.Changes.Select(c => c.Pack));

        chain.Receive(T0.AddHours(5), Wholesaler, Maker, [A, B], Box1).AssertGreen();
        var held = chain.Rules.Find(A)!;
        Assert.Equal(PackLifecycle.Active, held.Lifecycle);
        Assert.Equal(Wholesaler, held.Custodian);
        Assert.Null(held.ShippedTo);
        Assert.Equal(1, held.Handoffs);
        Assert.Equal(
            [new Presence(Place.Site(Maker), T0, T0.AddHours(1)), new Presence(Place.Container(Box1), T0.AddHours(1), T0.AddHours(5)), new Presence(Place.Site(Wholesaler), T0.AddHours(5), null)],
            held.Presence);
    }

    [Fact]
    public void Apply_ShipByNonCustodian_RedAndCustodyUnchanged()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();

        var outcome = chain.Ship(T0.AddHours(1), Wholesaler, Pharmacy, [A]);

        outcome.AssertRed(RuleReason.NotCustodian, A);
        Assert.Contains(new RuleFinding(RuleReason.CustodyBroken, A), outcome.Alerts);
        var state = chain.Rules.Find(A)!;
        Assert.Equal(Maker, state.Custodian);
        Assert.Equal(PackLifecycle.Active, state.Lifecycle);
        Assert.Null(state.ShippedTo);
        Assert.True(state.CustodyBroken);
    }

    [Fact]
    public void Apply_ReceiptAtWrongSite_AlertAndCustodyUnchanged()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();
        chain.Ship(T0.AddHours(1), Maker, Wholesaler, [A]).AssertGreen();

        var outcome = chain.Receive(T0.AddHours(3), Pharmacy, Maker, [A]);

        outcome.AssertRed(RuleReason.UnexpectedReceipt, A);
        var state = chain.Rules.Find(A)!;
        Assert.Equal(Maker, state.Custodian);
        Assert.Equal(PackLifecycle.InTransit, state.Lifecycle);
        Assert.Equal(Wholesaler, state.ShippedTo);
        Assert.True(state.CustodyBroken);

        // The fact is still logged, and the addressee can still receive it.
        Assert.Equal(2, chain.Log.Count(l => l.Fact is DeviceEventFact { Event.Kind: CustodyEventKind.Receiving or CustodyEventKind.Shipping }));
        chain.Receive(T0.AddHours(4), Wholesaler, Maker, [A]).AssertGreen();
        Assert.Equal(Wholesaler, chain.Rules.Find(A)!.Custodian);
    }

    [Fact]
    public void Apply_ReceiptOfUnknownPack_RedWithoutState()
    {
        var chain = new Chain();

        var outcome = chain.Receive(T0, Pharmacy, Wholesaler, [A]);

        outcome.AssertRed(RuleReason.UnknownPack, A);
        Assert.Empty(outcome.Changes);
        Assert.Null(chain.Rules.Find(A));
    }

    [Fact]
    public void Apply_ReceiptOfRecalledPack_RedAndCustodyUnchanged()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();
        chain.Ship(T0.AddHours(1), Maker, Wholesaler, [A]).AssertGreen();
        chain.Recall("R-1", new LotRecallScope(Vaccine, LotNumber), T0.AddHours(2)).AssertGreen();

        chain.Receive(T0.AddHours(3), Wholesaler, Maker, [A]).AssertRed(RuleReason.Recalled, A);

        Assert.Equal(Maker, chain.Rules.Find(A)!.Custodian);
    }

    [Fact]
    public void Apply_ReceiptOfExpiredPack_Red()
    {
        var chain = new Chain();
        chain.Commission(T0, LotNumber, new DateOnly(2026, 3, 3), A).AssertGreen();
        chain.Ship(T0.AddHours(1), Maker, Wholesaler, [A]).AssertGreen();

        chain.Receive(new DateTimeOffset(2026, 3, 4, 0, 0, 1, TimeSpan.Zero), Wholesaler, Maker, [A]).AssertRed(RuleReason.Expired, A);
    }

    [Fact]
    public void Apply_ReceiptOfDispensedPack_RedAndSuspect()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();
        chain.Move(T0.AddHours(1), T0.AddHours(2), Maker, Pharmacy, [A]);
        chain.Dispense(T0.AddHours(3), Pharmacy, A).Outcome.AssertGreen();

        var outcome = chain.Receive(T0.AddHours(4), Wholesaler, Pharmacy, [A]);

        outcome.AssertRed(RuleReason.AlreadyDispensed, A);
        Assert.Contains(new RuleFinding(RuleReason.Suspect, A), outcome.Alerts);
        Assert.Equal(PackStatus.Suspect, chain.Rules.Find(A)!.StatusAt(T0.AddHours(4)));
    }

    [Fact]
    public void Apply_RecalledPackReturnedToMaker_ReceiptAllowed()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();
        chain.Move(T0.AddHours(1), T0.AddHours(2), Maker, Wholesaler, [A]);
        chain.Recall("R-1", new SerialsRecallScope([A]), T0.AddHours(3)).AssertGreen();

        chain.Return(T0.AddHours(4), Wholesaler, null, A).AssertGreen();
        Assert.Equal(Maker, chain.Rules.Find(A)!.ShippedTo);
        chain.Receive(T0.AddHours(5), Maker, Wholesaler, [A]).AssertGreen();

        Assert.Equal(Maker, chain.Rules.Find(A)!.Custodian);
        Assert.Equal(PackStatus.Recalled, chain.Rules.Find(A)!.StatusAt(T0.AddHours(5)));
    }

    [Fact]
    public void Apply_ShipOfPartlyHeldBatch_MovesOnlyTheHeldPacks()
    {
        var chain = new Chain();
        chain.Commission(T0, A, B).AssertGreen();
        chain.Move(T0.AddHours(1), T0.AddHours(2), Maker, Wholesaler, [A]);

        var outcome = chain.Ship(T0.AddHours(3), Wholesaler, Pharmacy, [A, B]);

        outcome.AssertRed(RuleReason.NotCustodian, B);
        Assert.DoesNotContain(outcome.Findings, f => f.Pack == A);
        Assert.Equal(PackLifecycle.InTransit, chain.Rules.Find(A)!.Lifecycle);
        Assert.Equal(PackLifecycle.Active, chain.Rules.Find(B)!.Lifecycle);
    }

    [Fact]
    public void Apply_EventOfUnenrolledDevice_RedAndNothingApplied()
    {
        var chain = new Chain(enroll: false);

        var outcome = chain.Commission(T0, A);

        outcome.AssertRed(RuleReason.DeviceNotEnrolled);
        Assert.Null(chain.Rules.Find(A));
    }

    [Fact]
    public void Apply_EventOfRevokedDevice_Red()
    {
        var chain = new Chain();
        chain.Apply(new DeviceRevoked(DeviceOf(Maker), "it-admin@example.com", "lost", T0)).AssertGreen();

        chain.Commission(T0.AddMinutes(1), A).AssertRed(RuleReason.DeviceNotEnrolled);
    }

    [Fact]
    public void Apply_ReadPointNotTheDevicesSite_Red()
    {
        var chain = new Chain();

        // The maker's device claims to commission at the wholesaler's site.
        var outcome = chain.Apply(chain.Event(Maker, d => CustodyEvents.Commission(T0, d, Uri(Wholesaler), [A.ToDigitalLink()], LotNumber, Expires)));

        outcome.AssertRed(RuleReason.SiteMismatch);
        Assert.Null(chain.Rules.Find(A));
    }

    [Fact]
    public void Apply_CommissionAtPharmacy_RoleNotAllowed()
    {
        var chain = new Chain();

        var outcome = chain.Apply(chain.Event(Pharmacy, d => CustodyEvents.Commission(T0, d, Uri(Pharmacy), [A.ToDigitalLink()], LotNumber, Expires)));

        outcome.AssertRed(RuleReason.RoleNotAllowed);
    }

    [Fact]
    public void Apply_SerialCommissionedTwice_RedAndFirstKept()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();

        chain.Commission(T0.AddHours(1), "OTHER", Expires, A).AssertRed(RuleReason.AlreadyCommissioned, A);

        Assert.Equal(LotNumber, chain.Rules.Find(A)!.Lot);
    }

    [Fact]
    public void Apply_ShipOfNonPackEpc_BadIdentifier()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();

        var outcome = chain.Apply(chain.Event(Maker, d => CustodyEvents.Ship(T0, d, Uri(Maker), [A.ToDigitalLink(), Fridge], Uri(Wholesaler))));

        outcome.AssertRed(RuleReason.BadIdentifier);
        Assert.Equal(PackLifecycle.Active, chain.Rules.Find(A)!.Lifecycle);
    }

    [Fact]
    public void Apply_DestroyAndStolen_Decommission()
    {
        var chain = new Chain();
        chain.Commission(T0, A, B).AssertGreen();

        chain.Destroy(T0.AddHours(1), Maker, A).AssertGreen();
        chain.Apply(chain.Event(Maker, d => CustodyEvents.ReportStolen(T0.AddHours(1), d, Uri(Maker), [B.ToDigitalLink()]))).AssertGreen();

        Assert.Equal(PackStatus.Destroyed, chain.Rules.Find(A)!.StatusAt(T0.AddHours(2)));
        Assert.Equal(PackStatus.Stolen, chain.Rules.Find(B)!.StatusAt(T0.AddHours(2)));
        chain.Ship(T0.AddHours(2), Maker, Wholesaler, [A]).AssertRed(RuleReason.Destroyed, A);
    }
}
