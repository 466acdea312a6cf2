using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Rules;
using static SupplyChain.Contracts.Tests.Rules.Chain;

namespace SupplyChain.Contracts.Tests.Rules;

public sealed class ReturnAndTheftTests
{
    private static readonly PackKey A = Pack("A1");

    [Fact]
    public void Apply_ReturnWithoutDestination_GoesToWhereItCameFrom()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();
        chain.Move(T0.AddHours(1), T0.AddHours(2), Maker, Wholesaler, [A]);

        chain.Return(T0.AddHours(3), Wholesaler, null, A).AssertGreen();

        var state = chain.Rules.Find(A)!;
        Assert.Equal(PackLifecycle.InTransit, state.Lifecycle);
        Assert.Equal(Maker, state.ShippedTo);
        Assert.True(state.IsReturn);
    }

    [Fact]
    public void Apply_ReturnAtOrigin_NoReturnDestination()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();

        chain.Return(T0.AddHours(1), Maker, null, A).AssertRed(RuleReason.NoReturnDestination, A);
    }

    [Fact]
    public void Apply_StolenReportedByAddresseeWhileInTransit_Stolen()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();
        chain.Ship(T0.AddHours(1), Maker, Pharmacy, [A]).AssertGreen();

        chain.Apply(chain.Event(Pharmacy, d => CustodyEvents.ReportStolen(T0.AddHours(5), d, Uri(Pharmacy), [A.ToDigitalLink()]))).AssertGreen();

        Assert.Equal(PackLifecycle.Stolen, chain.Rules.Find(A)!.Lifecycle);
        var receipt = chain.Receive(T0.AddHours(6), Pharmacy, Maker, [A]);
        receipt.AssertRed(RuleReason.Stolen, A);
        Assert.Contains(new RuleFinding(RuleReason.Suspect, A), receipt.Alerts);
    }

    [Fact]
    public void Apply_StolenReportedByBystander_NotCustodian()
    {
        var chain = new Chain();
        chain.Commission(T0, A).AssertGreen();

        chain.Apply(chain.Event(Wholesaler, d => CustodyEvents.ReportStolen(T0.AddHours(1), d, Uri(Wholesaler), [A.ToDigitalLink()])))
            .AssertRed(RuleReason.NotCustodian, A);
    }

    [Fact]
    public void Apply_DecisionWithoutActor_RedAndIgnored()
    {
        var chain = new Chain(enroll: false);

        chain.Apply(new DeviceEnrolled(DeviceOf(Maker), Maker, SiteRole.Manufacturer, " ", T0)).AssertRed(RuleReason.MissingActorOrReason);
        chain.Commission(T0, A).AssertRed(RuleReason.DeviceNotEnrolled);
        chain.Release(T0, "checked", A).AssertRed(RuleReason.UnknownPack, A);
    }
}
