using SupplyChain.Contracts.Rules;
using SupplyChain.Contracts.Signing;
using static SupplyChain.Contracts.Tests.Rules.Chain;

namespace SupplyChain.Contracts.Tests.Rules;

public sealed class DispenseTests
{
    private static readonly PackKey A = Pack("A1");
    private static readonly PackKey B = Pack("B2");
    private static readonly DateTimeOffset Dispensed = T0.AddDays(1);

    /// <summary>A at the pharmacy, dispensed at <see cref="Dispensed"/>.</summary>
    private static (Chain Chain, EventId Dispense) DispensedPack()
    {
        var chain = new Chain();
        chain.Commission(T0, A, B).AssertGreen();
        chain.Move(T0.AddHours(1), T0.AddHours(2), Maker, Pharmacy, [A, B]);
        var (outcome, id) = chain.Dispense(Dispensed, Pharmacy, A);
        outcome.AssertGreen();
        return (chain, id);
    }

    [Fact]
    public void Apply_DispenseOfReceivedPack_Dispensed()
    {
        var (chain, id) = DispensedPack();

        var state = chain.Rules.Find(A)!;
        Assert.Equal(PackLifecycle.Dispensed, state.Lifecycle);
        Assert.Equal(Pharmacy, state.DispensedAt);
        Assert.Equal(Dispensed, state.DispensedTime);
        Assert.Equal(id, state.DispenseEvent);
        Assert.Equal(Dispensed, state.Presence[^1].To);
    }

    [Fact]
    public void Apply_UndoOnDayTen_Allowed()
    {
        var (chain, id) = DispensedPack();

        chain.Undo(Dispensed.AddDays(10), Pharmacy, id, A).AssertGreen();

        var state = chain.Rules.Find(A)!;
        Assert.Equal(PackLifecycle.Active, state.Lifecycle);
        Assert.Null(state.DispenseEvent);
        Assert.Equal(Pharmacy, state.Custodian);
    }

    [Fact]
    public void Apply_UndoOnDayEleven_Refused()
    {
        var (chain, id) = DispensedPack();

        chain.Undo(Dispensed.AddDays(11), Pharmacy, id, A).AssertRed(RuleReason.UndoWindowPassed, A);
        chain.Undo(Dispensed.AddDays(10).AddMilliseconds(1), Pharmacy, id, A).AssertRed(RuleReason.UndoWindowPassed, A);

        Assert.Equal(PackLifecycle.Dispensed, chain.Rules.Find(A)!.Lifecycle);
    }

    [Fact]
    public void Apply_UndoByOtherSite_Refused()
    {
        var (chain, id) = DispensedPack();

        chain.Undo(Dispensed.AddHours(1), OtherPharmacy, id, A).AssertRed(RuleReason.UndoOtherSite, A);

        Assert.Equal(PackLifecycle.Dispensed, chain.Rules.Find(A)!.Lifecycle);
    }

    [Fact]
    public void Apply_UndoNamingAnotherEvent_Refused()
    {
        var (chain, _) = DispensedPack();

        chain.Undo(Dispensed.AddHours(1), Pharmacy, EventId.Compute("not the dispense"u8), A).AssertRed(RuleReason.UndoNotMatching, A);
    }

    [Fact]
    public void Apply_UndoOfRecalledPack_Refused()
    {
        var (chain, id) = DispensedPack();
        chain.Recall("R-1", new SerialsRecallScope([A]), Dispensed.AddHours(1)).AssertGreen();

        chain.Undo(Dispensed.AddHours(2), Pharmacy, id, A).AssertRed(RuleReason.Recalled, A);
    }

    [Fact]
    public void Apply_RecalledPack_DispenseRefused()
    {
        var (chain, _) = DispensedPack();
        chain.Recall("R-1", new LotRecallScope(Vaccine, LotNumber), Dispensed.AddHours(1)).AssertGreen();

        chain.Dispense(Dispensed.AddHours(2), Pharmacy, B).Outcome.AssertRed(RuleReason.Recalled, B);

        Assert.Equal(PackLifecycle.Active, chain.Rules.Find(B)!.Lifecycle);
    }

    [Fact]
    public void Apply_SecondDispense_RefusedAndSerialSuspect()
    {
        var (chain, _) = DispensedPack();

        var outcome = chain.Dispense(Dispensed.AddHours(1), Pharmacy, A).Outcome;

        outcome.AssertRed(RuleReason.AlreadyDispensed, A);
        Assert.Contains(new RuleFinding(RuleReason.Suspect, A), outcome.Alerts);
        var state = chain.Rules.Find(A)!;
        Assert.True(state.Suspect);
        Assert.Equal(PackStatus.Suspect, state.StatusAt(Dispensed.AddHours(1)));
        Assert.Contains(VerificationFailure.Suspect, chain.Rules.Verify(A, null, null, null, Dispensed.AddHours(1)).Reasons);
    }

    [Fact]
    public void Apply_DispenseAtPharmacyThatDidNotReceive_Refused()
    {
        var (chain, _) = DispensedPack();

        chain.Dispense(Dispensed, OtherPharmacy, B).Outcome.AssertRed(RuleReason.NotReceivedAtThisSite, B);
    }

    [Fact]
    public void Apply_DispenseWhileStillInTransit_Refused()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();
        chain.Ship(T0.AddHours(1), Maker, Pharmacy, [A]).AssertGreen();

        chain.Dispense(T0.AddHours(2), Pharmacy, A).Outcome.AssertRed(RuleReason.NotReceivedAtThisSite, A);
    }

    [Fact]
    public void Apply_DispenseAtWholesaler_RoleNotAllowed()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();
        chain.Move(T0.AddHours(1), T0.AddHours(2), Maker, Wholesaler, [A]);

        chain.Dispense(T0.AddHours(3), Wholesaler, A).Outcome.AssertRed(RuleReason.RoleNotAllowed);
    }

    [Fact]
    public void Apply_DispenseOfExpiredPack_Refused()
    {
        var chain = new Chain();
        chain.Commission(T0, LotNumber, new DateOnly(2026, 3, 10), A).AssertGreen();
        chain.Move(T0.AddHours(1), T0.AddHours(2), Maker, Pharmacy, [A]);

        chain.Dispense(new DateTimeOffset(2026, 3, 10, 23, 59, 0, TimeSpan.Zero), Pharmacy, A).Outcome.AssertGreen();
        chain.Undo(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), Pharmacy, chain.Rules.Find(A)!.DispenseEvent!.Value, A)
            .AssertRed(RuleReason.Expired, A);
    }

    [Fact]
    public void Apply_DispenseOfExpiredPackAfterExpiryDay_Refused()
    {
        var chain = new Chain();
        chain.Commission(T0, LotNumber, new DateOnly(2026, 3, 10), A).AssertGreen();
        chain.Move(T0.AddHours(1), T0.AddHours(2), Maker, Pharmacy, [A]);

        chain.Dispense(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero), Pharmacy, A).Outcome.AssertRed(RuleReason.Expired, A);
    }

    [Fact]
    public void Apply_DispenseOfDestroyedPack_Refused()
    {
        var (chain, _) = DispensedPack();
        chain.Destroy(Dispensed.AddHours(1), Pharmacy, B).AssertGreen();

        chain.Dispense(Dispensed.AddHours(2), Pharmacy, B).Outcome.AssertRed(RuleReason.Destroyed, B);
    }
}
