using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using static SupplyChain.Contracts.Tests.Rules.Chain;

namespace SupplyChain.Contracts.Tests.Rules;

public sealed class SensorAlarmTests
{
    [Fact]
    public void Apply_AlarmReading_CountsAsAReading()
    {
        var a = Pack("A1");
        var chain = new Chain(new Dictionary<Gtin, ColdChainProfile> { [Vaccine] = Fridge2To8 with { MaxReadingGap = TimeSpan.FromHours(2) } });
        chain.Commission(T0, a).AssertGreen();
        chain.Temperatures(Maker, (T0, 5m)).AssertGreen();

        // One alarm at 30 °C, then normal again 45 minutes later: 45 minutes over the 30-minute single excursion.
        chain.Apply(chain.Event(Maker, d => CustodyEvents.ReportAlarm(T0.AddMinutes(10), d, Uri(Maker), Fridge, new TemperatureSample(T0.AddMinutes(10), 30m), 2m, 8m)))
            .AssertGreen();
        var back = chain.Temperatures(Maker, (T0.AddMinutes(55), 5m));

        Assert.Contains(new RuleFinding(RuleReason.ColdChainCompromised, a), back.Alerts);
        Assert.Equal(TimeSpan.FromMinutes(45), chain.Rules.Exposure(a, T0.AddMinutes(55))!.LongestExcursion);
    }
}
