using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Tests.ColdChain;

namespace SupplyChain.Hub.Tests.Devices;

public sealed class DeviceActivityTests
{
    [Fact]
    public void Applied_Events_CountLastSeqTimeAndIndex()
    {
        var activity = new DeviceActivity();
        var feed = new RulesFeed(activity);
        feed.Enrol("fridge-1", RulesFeed.WholesalerGln, SiteRole.Sensor);

        feed.Readings("fridge-1", RulesFeed.WholesalerGln, RulesFeed.Fridge, (0, 5m));
        feed.Readings("fridge-1", RulesFeed.WholesalerGln, RulesFeed.Fridge, (1, 5m));

        var snapshot = activity.Of("fridge-1")!;
        Assert.Equal((2L, 0L, 0L), (snapshot.Events, snapshot.Red, snapshot.Alarms));
        Assert.Equal((2L, 1L, RulesFeed.T0.AddMinutes(1)), (snapshot.Last!.Value.Index, snapshot.Last.Value.Seq, snapshot.Last.Value.Time));
        Assert.Empty(snapshot.Faults);
        Assert.Null(activity.Of("nobody"));
    }

    [Fact]
    public void Applied_RedVerdictsAndAlarms_NewestFaultsFirstBounded()
    {
        var activity = new DeviceActivity();
        var feed = new RulesFeed(activity);
        feed.Enrol("fridge-1", RulesFeed.WholesalerGln, SiteRole.Sensor);

        feed.Event("fridge-1", (t, s) => CustodyEvents.ReportAlarm(t, s, RulesFeed.SiteUri(RulesFeed.WholesalerGln), RulesFeed.Fridge, new TemperatureSample(t, 9.5m), 2m, 8m));
        for (var i = 0; i < DeviceActivity.KeptFaults; i++)
        {
            // A sensor may not dispense: each is red (role_not_allowed).
            feed.Event("fridge-1", (t, s) => CustodyEvents.Dispense(t, s, RulesFeed.SiteUri(RulesFeed.WholesalerGln), [RulesFeed.Pack("S1")]));
        }

        var snapshot = activity.Of("fridge-1")!;
        Assert.Equal((6L, 5L, 1L), (snapshot.Events, snapshot.Red, snapshot.Alarms));
        Assert.Equal(DeviceActivity.KeptFaults, snapshot.Faults.Count);
        Assert.All(snapshot.Faults, f => Assert.Equal(("red", "role_not_allowed"), (f.Kind, f.Detail)));
        Assert.Equal(6L, snapshot.Faults[0].Index);
    }

    [Fact]
    public void Applied_FirstFaultAlarm_DescribesReadingAndLimits()
    {
        var activity = new DeviceActivity();
        var feed = new RulesFeed(activity);
        feed.Enrol("fridge-1", RulesFeed.WholesalerGln, SiteRole.Sensor);

        feed.Event("fridge-1", (t, s) => CustodyEvents.ReportAlarm(t, s, RulesFeed.SiteUri(RulesFeed.WholesalerGln), RulesFeed.Fridge, new TemperatureSample(t, 9.5m), 2m, 8m));

        var fault = Assert.Single(activity.Of("fridge-1")!.Faults);
        Assert.Equal("alarm", fault.Kind);
        Assert.Equal($"9.5 °C outside 2–8 °C at {RulesFeed.Fridge}", fault.Detail);
    }
}
