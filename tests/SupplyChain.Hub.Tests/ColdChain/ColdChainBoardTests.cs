using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.ColdChain;

namespace SupplyChain.Hub.Tests.ColdChain;

public sealed class ColdChainBoardTests
{
    [Fact]
    public void Applied_SensorReports_LatestReadingPerAssetAtTheSite()
    {
        var board = new ColdChainBoard();
        var feed = new RulesFeed(board);
        feed.Enrol("fridge-1", RulesFeed.WholesalerGln, SiteRole.Sensor);

        feed.Readings("fridge-1", RulesFeed.WholesalerGln, RulesFeed.Fridge, (0, 5.0m), (1, 5.5m));
        // A backlog arriving late: older samples do not replace the newest reading.
        feed.Readings("fridge-1", RulesFeed.WholesalerGln, RulesFeed.Fridge, (-10, 3.0m));

        var place = Assert.Single(board.Snapshot());
        Assert.Equal(new Place(PlaceKind.Site, RulesFeed.WholesalerGln), place.Place);
        var sensor = Assert.Single(place.Sensors);
        Assert.Equal((RulesFeed.Fridge, "fridge-1", 3L), (sensor.Asset, sensor.Device, sensor.Readings));
        Assert.Equal(new TemperatureSample(RulesFeed.T0.AddMinutes(1), 5.5m), sensor.Latest);
        Assert.Equal(sensor.Latest, place.Latest);
    }

    [Fact]
    public void Applied_RedSensorReport_NotListed()
    {
        var board = new ColdChainBoard();
        var feed = new RulesFeed(board);

        // Not enrolled: the rules refuse the readings, so the board shows none either.
        var outcome = feed.Readings("stranger", RulesFeed.WholesalerGln, RulesFeed.Fridge, (0, 5m));

        Assert.False(outcome.IsGreen);
        Assert.Empty(board.Snapshot());
    }

    [Fact]
    public void Applied_Alarm_KeptWithItsLimits()
    {
        var board = new ColdChainBoard();
        var feed = new RulesFeed(board);
        feed.Enrol("fridge-1", RulesFeed.WholesalerGln, SiteRole.Sensor);

        feed.Event("fridge-1", (time, stamp) => CustodyEvents.ReportAlarm(
            time, stamp, RulesFeed.SiteUri(RulesFeed.WholesalerGln), RulesFeed.Fridge, new TemperatureSample(time, 9.4m), 2m, 8m));

        var alarm = Assert.Single(board.Snapshot()).Sensors[0].Alarm;
        Assert.Equal((9.4m, 2m, 8m, 1L), (alarm!.Value.Celsius, alarm.Value.Lower, alarm.Value.Upper, alarm.Value.Index));
    }

    [Fact]
    public void Applied_PacksMoving_CountedWhereTheyAreNow()
    {
        var board = new ColdChainBoard();
        var feed = new RulesFeed(board);
        feed.Enrol("maker-1", RulesFeed.MakerGln, SiteRole.Manufacturer);
        feed.Enrol("wholesaler-1", RulesFeed.WholesalerGln, SiteRole.Wholesaler);
        var maker = RulesFeed.SiteUri(RulesFeed.MakerGln);
        var container = $"https://id.gs1.org/00/{RulesFeed.Sscc}";
        string[] packs = [RulesFeed.Pack("S1"), RulesFeed.Pack("S2"), RulesFeed.Pack("S3")];

        feed.Event("maker-1", (t, s) => CustodyEvents.Commission(t, s, maker, packs, "L1", new DateOnly(2030, 1, 31)));
        feed.Event("maker-1", (t, s) => CustodyEvents.Ship(t, s, maker, packs[..2], RulesFeed.SiteUri(RulesFeed.WholesalerGln), container));
        var inTransit = board.Snapshot().ToDictionary(p => p.Place, p => p.Packs);
        feed.Event("wholesaler-1", (t, s) => CustodyEvents.Receive(t, s, RulesFeed.SiteUri(RulesFeed.WholesalerGln), packs[..2], maker, container));
        var received = board.Snapshot().ToDictionary(p => p.Place, p => p.Packs);

        var makerPlace = new Place(PlaceKind.Site, RulesFeed.MakerGln);
        var containerPlace = new Place(PlaceKind.Container, RulesFeed.Sscc);
        var wholesalerPlace = new Place(PlaceKind.Site, RulesFeed.WholesalerGln);
        Assert.Equal((1, 2), (inTransit[makerPlace], inTransit[containerPlace]));
        Assert.Equal((1, 0, 2), (received[makerPlace], received[containerPlace], received[wholesalerPlace]));
        Assert.Equal(RulesFeed.Gtin, Assert.Single(board.ProductsAt(wholesalerPlace)).Value);
    }

    [Fact]
    public void Applied_ContainerLogger_ReadingsFiledUnderTheContainer()
    {
        var board = new ColdChainBoard();
        var feed = new RulesFeed(board);
        feed.Enrol("truck-1", RulesFeed.WholesalerGln, SiteRole.Sensor);

        feed.Readings("truck-1", RulesFeed.WholesalerGln, $"https://id.gs1.org/00/{RulesFeed.Sscc}", (0, 4m));

        var place = Assert.Single(board.Snapshot());
        Assert.Equal(new Place(PlaceKind.Container, RulesFeed.Sscc), place.Place);
        Assert.True(feed.Rules.Readings.ContainsKey(place.Place));
    }
}
