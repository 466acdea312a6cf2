using SupplyChain.Contracts.Topics;
using SupplyChain.Hub.Custody;

namespace SupplyChain.Hub.Tests.Custody;

/// <summary>Rule verdicts in acks (DESIGN §6, PROTOCOL §5.3): the real hub, its broker, enrolled MQTT devices.</summary>
public sealed class CustodyVerdictTests
{
    [Fact]
    public async Task Ack_CommissionShipReceiveDispense_AllGreen()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);

        var indexes = await sites.DeliverToPharmacyAsync("S1", "S2");
        var dispensed = await sites.Pharmacy.SendGreenAsync(sites.Pharmacy.Dispense("S1"));

        Assert.Equal(indexes.Order(), indexes);
        Assert.True(dispensed.Index > indexes[^1]);
    }

    [Fact]
    public async Task Ack_ReceiptAtWrongSite_AcceptedRedAndLogged()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.Maker.SendGreenAsync(sites.Maker.Commission("S1"));
        await sites.Maker.SendGreenAsync(sites.Maker.Ship(ChainSites.WholesalerGln, "S1"));

        var receipt = sites.OtherPharmacy.Receive(ChainSites.MakerGln, "S1");
        var ack = await sites.OtherPharmacy.SendAsync(receipt);

        Assert.Equal(AckStatus.Accepted, ack.Status);
        Assert.Equal(CustodyVerdict.Red, ack.Verdict);
        Assert.Equal("UnexpectedReceipt", ack.Detail);
        Assert.Equal(ack.Index, hub.Service<Hub.Log.LogReader>().IndexOfDeviceEvent(receipt));
    }

    [Fact]
    public async Task Ack_DoubleDispense_SecondRed()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        await sites.DeliverToPharmacyAsync("S1");
        await sites.Pharmacy.SendGreenAsync(sites.Pharmacy.Dispense("S1"));

        var again = await sites.Pharmacy.SendAsync(sites.Pharmacy.Dispense("S1"));

        Assert.Equal(AckStatus.Accepted, again.Status);
        Assert.Equal(CustodyVerdict.Red, again.Verdict);
        Assert.Equal("AlreadyDispensed,Suspect", again.Detail);
    }

    [Fact]
    public async Task Ack_DuplicateOfRedEvent_SameRedVerdictAgain()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);
        var orphan = sites.Pharmacy.Dispense("NEVER-MADE");
        var first = await sites.Pharmacy.SendAsync(orphan);
        // Later facts must not change the verdict a duplicate gets: it is the one recorded in log order.
        await sites.Maker.SendGreenAsync(sites.Maker.Commission("NEVER-MADE"));

        var second = await sites.Pharmacy.SendAsync(orphan);

        Assert.Equal(CustodyVerdict.Red, first.Verdict);
        Assert.Equal("UnknownPack", first.Detail);
        Assert.True(second.Duplicate);
        Assert.Equal(first.Index, second.Index);
        Assert.Equal(first.Verdict, second.Verdict);
        Assert.Equal(first.Detail, second.Detail);
    }

    [Fact]
    public async Task Ack_CommissionFromPharmacy_RedRoleNotAllowed()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sites = await ChainSites.EnrolAsync(hub);

        var ack = await sites.Pharmacy.SendAsync(sites.Pharmacy.Commission("S1"));

        Assert.Equal(CustodyVerdict.Red, ack.Verdict);
        Assert.Equal("RoleNotAllowed", ack.Detail);
    }

    [Fact]
    public async Task Ack_CustodyEventFromSensorDevice_RedRoleNotAllowed()
    {
        await using var hub = await RunningHub.StartAsync();
        await using var sensor = await ChainDevice.EnrolAsync(hub, "fridge-1", ChainSites.MakerGln, "sensor");

        var ack = await sensor.SendAsync(sensor.Commission("S1"));

        Assert.Equal(AckStatus.Accepted, ack.Status);
        Assert.Equal(CustodyVerdict.Red, ack.Verdict);
        Assert.Equal("RoleNotAllowed", ack.Detail);
    }
}
