using SupplyChain.Contracts.Rules;
using static SupplyChain.Contracts.Tests.Rules.Chain;

namespace SupplyChain.Contracts.Tests.Rules;

/// <summary>A pharmacist's dispense and undo through the hub (PROTOCOL.md §4.6): the same FMD rules as a pharmacy device's.</summary>
public sealed class HubDispenseTests
{
    private static readonly PackKey A = Pack("A1");
    private static readonly PackKey B = Pack("B2");
    private static readonly DateTimeOffset Dispensed = T0.AddDays(1);

    /// <summary>A and B received at the pharmacy.</summary>
    private static Chain AtPharmacy()
    {
        var chain = new Chain();
        chain.Commission(T0, A, B).AssertGreen();
        chain.Move(T0.AddHours(1), T0.AddHours(2), Maker, Pharmacy, [A, B]);
        return chain;
    }

    [Fact]
    public void Apply_HubDispenseOfReceivedPack_DispensedWithoutEvent()
    {
        var chain = AtPharmacy();

        chain.Apply(new PackDispensed(A, Pharmacy, "pia", Dispensed)).AssertGreen();

        var state = chain.Rules.Find(A)!;
        Assert.Equal((PackLifecycle.Dispensed, Pharmacy, Dispensed), (state.Lifecycle, state.DispensedAt, state.DispensedTime));
        Assert.Null(state.DispenseEvent);
        Assert.False(chain.Rules.Verify(A, null, null, Pharmacy, Dispensed.AddMinutes(1)).Verified);
        Assert.Equal(PackLifecycle.Active, chain.Rules.Find(B)!.Lifecycle);
    }

    [Fact]
    public void Apply_HubDispenseAtOtherPharmacy_RefusedNotReceivedHere()
    {
        var chain = AtPharmacy();

        chain.Apply(new PackDispensed(A, OtherPharmacy, "pia", Dispensed)).AssertRed(RuleReason.NotReceivedAtThisSite, A);

        Assert.Equal(PackLifecycle.Active, chain.Rules.Find(A)!.Lifecycle);
    }

    [Fact]
    public void Apply_HubDispenseOfRecalledPack_RefusedRecalled()
    {
        var chain = AtPharmacy();
        chain.Recall("R-1", new LotRecallScope(Vaccine, LotNumber), T0.AddHours(3)).AssertGreen();

        chain.Apply(new PackDispensed(A, Pharmacy, "pia", Dispensed)).AssertRed(RuleReason.Recalled, A);
    }

    [Fact]
    public void Apply_HubDispenseTwice_SecondRefusedAndPackSuspect()
    {
        var chain = AtPharmacy();
        chain.Apply(new PackDispensed(A, Pharmacy, "pia", Dispensed)).AssertGreen();

        chain.Apply(new PackDispensed(A, Pharmacy, "pia", Dispensed.AddMinutes(5))).AssertRed(RuleReason.AlreadyDispensed, A);

        Assert.True(chain.Rules.Find(A)!.Suspect);
    }

    [Fact]
    public void Apply_HubDispenseWithoutActor_RefusedMissingActor()
    {
        var chain = AtPharmacy();

        chain.Apply(new PackDispensed(A, Pharmacy, " ", Dispensed)).AssertRed(RuleReason.MissingActorOrReason);

        Assert.Equal(PackLifecycle.Active, chain.Rules.Find(A)!.Lifecycle);
    }

    [Fact]
    public void Apply_HubUndoOfDeviceDispense_ActiveAgain()
    {
        var chain = AtPharmacy();
        chain.Dispense(Dispensed, Pharmacy, A).Outcome.AssertGreen();

        chain.Apply(new DispenseUndone(A, Pharmacy, "pia", Dispensed.AddHours(1))).AssertGreen();

        var state = chain.Rules.Find(A)!;
        Assert.Equal((PackLifecycle.Active, Pharmacy), (state.Lifecycle, state.Custodian));
        Assert.True(chain.Rules.Verify(A, null, null, Pharmacy, Dispensed.AddHours(2)).Verified);
    }

    [Fact]
    public void Apply_HubUndoAfterTenDays_RefusedWindowPassed()
    {
        var chain = AtPharmacy();
        chain.Apply(new PackDispensed(A, Pharmacy, "pia", Dispensed)).AssertGreen();

        chain.Apply(new DispenseUndone(A, Pharmacy, "pia", Dispensed.AddDays(10).AddMilliseconds(1))).AssertRed(RuleReason.UndoWindowPassed, A);
        chain.Apply(new DispenseUndone(A, Pharmacy, "pia", Dispensed.AddDays(10))).AssertGreen();
    }

    [Fact]
    public void Apply_HubUndoAtOtherPharmacy_RefusedOtherSite()
    {
        var chain = AtPharmacy();
        chain.Apply(new PackDispensed(A, Pharmacy, "pia", Dispensed)).AssertGreen();

        chain.Apply(new DispenseUndone(A, OtherPharmacy, "otto", Dispensed.AddHours(1))).AssertRed(RuleReason.UndoOtherSite, A);
    }

    [Fact]
    public void Apply_HubUndoOfPackNotDispensed_RefusedNotMatching()
    {
        var chain = AtPharmacy();

        chain.Apply(new DispenseUndone(A, Pharmacy, "pia", Dispensed)).AssertRed(RuleReason.UndoNotMatching, A);
    }

    [Fact]
    public void Apply_DeviceUndoOfHubDispense_RefusedNotMatching()
    {
        // A till names the dispense event it undoes; a hub dispense has none, so no till event can match it.
        var chain = AtPharmacy();
        chain.Apply(new PackDispensed(A, Pharmacy, "pia", Dispensed)).AssertGreen();
        var (_, tillDispense) = chain.Dispense(Dispensed.AddMinutes(1), Pharmacy, B);

        chain.Undo(Dispensed.AddHours(1), Pharmacy, tillDispense, A).AssertRed(RuleReason.UndoNotMatching, A);
    }
}
