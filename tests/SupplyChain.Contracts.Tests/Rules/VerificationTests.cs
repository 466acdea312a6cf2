using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using static SupplyChain.Contracts.Tests.Rules.Chain;

namespace SupplyChain.Contracts.Tests.Rules;

public sealed class VerificationTests
{
    private static readonly PackKey A = Pack("A1");
    private static readonly DateTimeOffset Now = T0.AddDays(2);

    /// <summary>A commissioned (expiry 2027-06-30), shipped to and received by the pharmacy.</summary>
    private static Chain AtPharmacy()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();
        chain.Move(T0.AddHours(1), T0.AddHours(5), Maker, Pharmacy, [A], Box1);
        return chain;
    }

    private static Lot LotOf(string text) => Contracts.Gs1.Lot.TryParse(text, out var lot, out var reason) ? lot : throw new ArgumentException(reason);

    private static Expiry ExpiryOf(string yymmdd) => Contracts.Gs1.Expiry.TryParse(yymmdd, Now, out var expiry, out var reason) ? expiry : throw new ArgumentException(reason);

    [Fact]
    public void Verify_GoodPackAtItsPharmacy_Verified()
    {
        var answer = AtPharmacy().Rules.Verify(A, LotOf(LotNumber), ExpiryOf("270630"), Pharmacy, Now);

        Assert.True(answer.Verified);
        Assert.Equal(PackStatus.Active, answer.Status);
        Assert.Empty(answer.Reasons);
        Assert.Equal(LotNumber, answer.Lot);
        Assert.Equal(Expires, answer.Expiry);
        Assert.Equal(Pharmacy, answer.Custody!.Custodian);
        Assert.Equal(Place.Site(Pharmacy), answer.Custody.Location);
        Assert.Equal(1, answer.Custody.Handoffs);
        Assert.False(answer.ColdChain!.Profiled);
    }

    [Fact]
    public void Verify_UnknownSerial_UnknownStatus()
    {
        var answer = AtPharmacy().Rules.Verify(Pack("NOPE"), null, null, Pharmacy, Now);

        Assert.False(answer.Verified);
        Assert.Equal(PackStatus.Unknown, answer.Status);
        Assert.Equal([VerificationFailure.UnknownSerial], answer.Reasons);
        Assert.Null(answer.Custody);
    }

    [Fact]
    public void Verify_LotMismatch_Reason()
    {
        var answer = AtPharmacy().Rules.Verify(A, LotOf("LOT42B"), null, Pharmacy, Now);

        Assert.False(answer.Verified);
        Assert.Equal([VerificationFailure.LotMismatch], answer.Reasons);
        Assert.Equal(PackStatus.Active, answer.Status);
    }

    [Fact]
    public void Verify_ExpiryMismatch_Reason()
    {
        var answer = AtPharmacy().Rules.Verify(A, LotOf(LotNumber), ExpiryOf("270629"), Pharmacy, Now);

        Assert.Equal([VerificationFailure.ExpiryMismatch], answer.Reasons);
    }

    [Fact]
    public void Verify_ExpiryWithDayZero_MeansEndOfMonthAndMatches()
    {
        // GS1 GenSpecs §7.12: DD = 00 is the last day of the month, 2027-06-30, the commissioned expiry.
        var answer = AtPharmacy().Rules.Verify(A, LotOf(LotNumber), ExpiryOf("270600"), Pharmacy, Now);

        Assert.True(answer.Verified);
    }

    [Fact]
    public void Verify_ExpiryDateBeforeNow_Expired()
    {
        var chain = AtPharmacy();

        Assert.True(chain.Rules.Verify(A, null, null, Pharmacy, new DateTimeOffset(2027, 6, 30, 23, 59, 59, TimeSpan.Zero)).Verified);
        var answer = chain.Rules.Verify(A, null, null, Pharmacy, new DateTimeOffset(2027, 7, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.False(answer.Verified);
        Assert.Equal(PackStatus.Expired, answer.Status);
        Assert.Equal([VerificationFailure.Expired], answer.Reasons);
    }

    [Fact]
    public void Verify_AtAnotherPharmacy_NotReceivedAtThisSite()
    {
        var answer = AtPharmacy().Rules.Verify(A, null, null, OtherPharmacy, Now);

        Assert.Equal([VerificationFailure.NotReceivedAtThisSite], answer.Reasons);
    }

    [Fact]
    public void Verify_InTransit_NotReceivedAtThisSite()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();
        chain.Ship(T0.AddHours(1), Maker, Pharmacy, [A], Box1).AssertGreen();

        var answer = chain.Rules.Verify(A, null, null, Pharmacy, Now);

        Assert.Equal(PackStatus.InTransit, answer.Status);
        Assert.Equal([VerificationFailure.NotReceivedAtThisSite], answer.Reasons);
        Assert.Equal(Pharmacy, answer.Custody!.ShippedTo);
        Assert.Equal(Place.Container(Box1), answer.Custody.Location);
    }

    [Fact]
    public void Verify_WithoutSite_SkipsCustodyAtSite()
    {
        Assert.True(AtPharmacy().Rules.Verify(A, null, null, null, Now).Verified);
    }

    [Fact]
    public void Verify_RecalledAndDispensed_EveryReasonAndRecalledStatus()
    {
        var chain = AtPharmacy();
        chain.Dispense(T0.AddDays(1), Pharmacy, A).Outcome.AssertGreen();
        chain.Recall("R-1", new SerialsRecallScope([A]), T0.AddDays(1).AddHours(1)).AssertGreen();

        var answer = chain.Rules.Verify(A, LotOf("X"), null, Pharmacy, Now);

        Assert.Equal(PackStatus.Recalled, answer.Status);
        Assert.Equal([VerificationFailure.LotMismatch, VerificationFailure.Recalled, VerificationFailure.AlreadyDispensed], answer.Reasons);
        Assert.Equal(Pharmacy, answer.Custody!.DispensedAt);
    }

    [Fact]
    public void Verify_CustodyBroken_ReasonAndSuspectStatus()
    {
        var chain = AtPharmacy();
        chain.Ship(Now, Wholesaler, Maker, [A]).AssertRed(RuleReason.NotCustodian, A);

        var answer = chain.Rules.Verify(A, null, null, Pharmacy, Now);

        Assert.Equal(PackStatus.Suspect, answer.Status);
        Assert.Equal([VerificationFailure.CustodyBroken], answer.Reasons);
        Assert.True(answer.Custody!.Broken);

        // A quality person who checked the pack clears it.
        chain.Release(Now, "Pack inspected on site; scan at wholesaler was a mis-scan", A).AssertGreen();
        Assert.True(chain.Rules.Verify(A, null, null, Pharmacy, Now).Verified);
    }
}
