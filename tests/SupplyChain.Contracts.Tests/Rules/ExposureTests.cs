using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using static SupplyChain.Contracts.Tests.Rules.Chain;

namespace SupplyChain.Contracts.Tests.Rules;

public sealed class ExposureTests
{
    private static readonly PackKey A = Pack("A1");
    private static readonly PackKey Ambient = Pack("T1", Tablets);
    private static readonly Place Cold = Place.Site(Pharmacy);

    private static readonly Dictionary<Gtin, ColdChainProfile> Profiles = new() { [Vaccine] = Fridge2To8 };

    private static Dictionary<Place, IReadOnlyList<TemperatureSample>> Readings(params (int Minute, decimal Celsius)[] samples) =>
        new Dictionary<Place, IReadOnlyList<TemperatureSample>>
        {
            [Cold] = [.. samples.Select(s => new TemperatureSample(T0.AddMinutes(s.Minute), s.Celsius))],
        };

    private static ExposureReport Evaluate(ColdChainProfile profile, IReadOnlyDictionary<Place, IReadOnlyList<TemperatureSample>> readings, int fromMinute, int? toMinute, int untilMinute) =>
        ExposureEvaluator.Evaluate(
            profile,
            [new Presence(Cold, T0.AddMinutes(fromMinute), toMinute is { } to ? T0.AddMinutes(to) : null)],
            readings,
            T0,
            T0.AddMinutes(untilMinute));

    [Fact]
    public void Evaluate_StepFunction_CountsMinutesOutOfRange()
    {
        // 5 °C for 10 min, 12 °C for 10 min, 9 °C for 5 min, 5 °C to minute 40.
        var report = Evaluate(Fridge2To8, Readings((0, 5m), (10, 12m), (20, 9m), (25, 5m), (40, 5m)), 0, null, 40);

        Assert.Equal(TimeSpan.FromMinutes(15), report.OutOfRange);
        Assert.Equal(TimeSpan.FromMinutes(15), report.LongestExcursion);
        Assert.Equal(TimeSpan.FromMinutes(40), report.Monitored);
        Assert.Equal(TimeSpan.Zero, report.Unknown);
        Assert.Empty(report.Breaches);
    }

    [Fact]
    public void Evaluate_PresenceOnlyPartlyOverlapping_CountsOnlyItsTime()
    {
        // The fridge was hot before the pack arrived at minute 15; the reading of minute 10 still holds until 20.
        var report = Evaluate(Fridge2To8, Readings((0, 30m), (10, 12m), (20, 5m), (30, 5m), (40, 5m)), 15, 35, 40);

        Assert.Equal(TimeSpan.FromMinutes(5), report.OutOfRange);
        Assert.Equal(TimeSpan.FromMinutes(20), report.Monitored);
    }

    [Fact]
    public void Evaluate_GapLongerThanLimit_UnknownNotInRange()
    {
        // Readings at 0 and 60 with a 15-minute limit: the whole gap is unknown, even though both readings are in range.
        var report = Evaluate(Fridge2To8, Readings((0, 5m), (60, 5m)), 0, null, 65);

        Assert.Equal(TimeSpan.FromMinutes(60), report.Unknown);
        Assert.Equal(TimeSpan.FromMinutes(5), report.Monitored);
        Assert.True(report.UnknownTooLong);
        Assert.False(report.Compromised);
    }

    [Fact]
    public void Evaluate_GapWithinLimit_EarlierReadingHolds()
    {
        var report = Evaluate(Fridge2To8, Readings((0, 5m), (15, 5m), (30, 5m)), 0, null, 30);

        Assert.Equal(TimeSpan.Zero, report.Unknown);
        Assert.Equal(TimeSpan.FromMinutes(30), report.Monitored);
    }

    [Fact]
    public void Evaluate_BeforeFirstReadingAndAfterStaleLast_Unknown()
    {
        // Pack from minute 0, first reading at 10; last reading at 20 is 40 minutes old at minute 60.
        var report = Evaluate(Fridge2To8, Readings((10, 5m), (20, 5m)), 0, null, 60);

        Assert.Equal(TimeSpan.FromMinutes(10 + 40), report.Unknown);
        Assert.Equal(TimeSpan.FromMinutes(10), report.Monitored);
    }

    [Fact]
    public void Evaluate_TwoShortExcursions_CumulativeBreachOnly()
    {
        var profile = Fridge2To8 with { AllowedOutOfRange = TimeSpan.FromMinutes(20), MaxExcursion = TimeSpan.FromMinutes(15) };

        var report = Evaluate(profile, Readings((0, 9m), (12, 5m), (30, 10m), (42, 5m), (60, 5m)), 0, null, 60);

        Assert.Equal(TimeSpan.FromMinutes(24), report.OutOfRange);
        Assert.Equal(TimeSpan.FromMinutes(12), report.LongestExcursion);
        Assert.Equal([ColdChainBreach.CumulativeOutOfRange], report.Breaches);
    }

    [Fact]
    public void Evaluate_MktOverLimit_Breach()
    {
        // In range all the time (8 °C), but the profile caps MKT at 7.5 °C.
        var profile = Fridge2To8 with { MktLimitCelsius = 7.5 };

        var report = Evaluate(profile, Readings((0, 8m), (10, 8m), (20, 8m)), 0, null, 20);

        Assert.Equal(8.0, report.WindowMkt!.Value, 1e-9);
        Assert.Equal([ColdChainBreach.MktOverLimit], report.Breaches);
    }

    [Fact]
    public void Evaluate_MktWindow_OnlyRecentTimeCounts()
    {
        // Hot long ago, cold in the last hour: the 1-hour window MKT is the recent temperature.
        var profile = Fridge2To8 with { MktLimitCelsius = 7.5, MktWindow = TimeSpan.FromHours(1), AllowedOutOfRange = TimeSpan.FromDays(1), MaxExcursion = TimeSpan.FromDays(1) };

        var report = Evaluate(profile, Readings((0, 20m), (10, 20m), (20, 4m), (30, 4m), (40, 4m), (50, 4m), (60, 4m), (70, 4m), (80, 4m)), 0, null, 80);

        Assert.Equal(4.0, report.WindowMkt!.Value, 1e-9);
        Assert.True(report.Mkt > 4.0);
        Assert.Empty(report.Breaches);
    }

    [Fact]
    public void Apply_ExcursionPastProfile_CompromisedUntilReleasedWithReason()
    {
        var chain = new Chain(Profiles);
        chain.Commission(T0, A).AssertGreen();
        chain.Move(T0, T0, Maker, Pharmacy, [A]);
        chain.Temperatures(Pharmacy, Steady(T0, T0.AddHours(1), TimeSpan.FromMinutes(5), 5m)).AssertGreen();

        // 40 minutes at 11 °C: longer than the 30-minute single excursion.
        var hot = chain.Temperatures(Pharmacy, Steady(T0.AddHours(1).AddMinutes(5), T0.AddHours(1).AddMinutes(40), TimeSpan.FromMinutes(5), 11m));
        var cool = chain.Temperatures(Pharmacy, Steady(T0.AddHours(1).AddMinutes(45), T0.AddHours(3), TimeSpan.FromMinutes(5), 5m));

        hot.AssertGreen();
        Assert.Contains(new RuleFinding(RuleReason.ColdChainCompromised, A), hot.Alerts.Concat(cool.Alerts));
        var state = chain.Rules.Find(A)!;
        Assert.Equal([ColdChainBreach.SingleExcursion], state.Compromise);
        var refused = chain.Rules.Verify(A, null, null, Pharmacy, T0.AddHours(3));
        Assert.False(refused.Verified);
        Assert.Equal(PackStatus.Compromised, refused.Status);
        Assert.Equal([VerificationFailure.ColdChainCompromised], refused.Reasons);
        chain.Dispense(T0.AddHours(3), Pharmacy, A).Outcome.AssertRed(RuleReason.ColdChainCompromised, A);

        // A release needs a reason; with one, the pack verifies again and exposure counts afresh.
        chain.Release(T0.AddHours(3), " ", A).AssertRed(RuleReason.MissingActorOrReason);
        Assert.True(chain.Rules.Find(A)!.IsCompromised);
        chain.Release(T0.AddHours(3), "Stability data covers 40 min at 11 °C (report QA-2026-17)", A).AssertGreen();
        chain.Temperatures(Pharmacy, Steady(T0.AddHours(3).AddMinutes(5), T0.AddHours(4), TimeSpan.FromMinutes(5), 5m)).AssertGreen();

        var answer = chain.Rules.Verify(A, null, null, Pharmacy, T0.AddHours(4));
        Assert.True(answer.Verified, string.Join(", ", answer.Reasons));
        Assert.Equal(PackStatus.Active, answer.Status);
        Assert.Equal(T0.AddHours(3), answer.ColdChain!.ReleasedTime);
        Assert.Equal(TimeSpan.Zero, answer.ColdChain.Exposure!.OutOfRange);
        chain.Dispense(T0.AddHours(4), Pharmacy, A).Outcome.AssertGreen();
    }

    [Fact]
    public void Verify_CompromisedBySingleExcursionThenCumulativeBroken_AnswerNamesBothLatchedListKeepsFirst()
    {
        var chain = new Chain(Profiles);
        chain.Commission(T0, A).AssertGreen();
        chain.Move(T0, T0, Maker, Pharmacy, [A]);
        chain.Temperatures(Pharmacy, Steady(T0, T0.AddHours(1), TimeSpan.FromMinutes(5), 5m)).AssertGreen();

        // 40 minutes at 11 °C (single excursion > 30 min, cumulative 40 ≤ 60): latched as a single excursion.
        chain.Temperatures(Pharmacy, Steady(T0.AddHours(1).AddMinutes(5), T0.AddHours(1).AddMinutes(40), TimeSpan.FromMinutes(5), 11m));
        chain.Temperatures(Pharmacy, Steady(T0.AddHours(1).AddMinutes(45), T0.AddHours(2), TimeSpan.FromMinutes(5), 5m));
        var first = chain.Rules.Verify(A, null, null, Pharmacy, T0.AddHours(2));

        // Another 30 minutes at 11 °C: cumulative out of range now passes the 60 allowed minutes too.
        chain.Temperatures(Pharmacy, Steady(T0.AddHours(2).AddMinutes(5), T0.AddHours(2).AddMinutes(35), TimeSpan.FromMinutes(5), 11m));
        chain.Temperatures(Pharmacy, Steady(T0.AddHours(2).AddMinutes(40), T0.AddHours(3), TimeSpan.FromMinutes(5), 5m));
        var later = chain.Rules.Verify(A, null, null, Pharmacy, T0.AddHours(3));

        Assert.Equal([ColdChainBreach.SingleExcursion], first.ColdChain!.Breaches);
        Assert.Equal([ColdChainBreach.CumulativeOutOfRange, ColdChainBreach.SingleExcursion], later.ColdChain!.Breaches);
        Assert.Equal([ColdChainBreach.SingleExcursion], chain.Rules.Find(A)!.Compromise);
        Assert.Equal(PackStatus.Compromised, later.Status);
    }

    [Fact]
    public void Apply_CompromisedPack_StaysCompromisedWhenLaterReadingsAreFine()
    {
        var chain = new Chain(Profiles);
        chain.Commission(T0, A).AssertGreen();
        chain.Temperatures(Maker, Steady(T0, T0.AddHours(1), TimeSpan.FromMinutes(5), 15m)).AssertGreen();
        Assert.True(chain.Rules.Find(A)!.IsCompromised);

        chain.Temperatures(Maker, Steady(T0.AddHours(1).AddMinutes(5), T0.AddDays(1), TimeSpan.FromMinutes(10), 5m)).AssertGreen();

        Assert.True(chain.Rules.Find(A)!.IsCompromised);
        Assert.Contains(VerificationFailure.ColdChainCompromised, chain.Rules.Verify(A, null, null, null, T0.AddDays(1)).Reasons);
    }

    [Fact]
    public void Apply_GapLongerThanLimit_UnverifiableButNotCompromised()
    {
        var chain = new Chain(Profiles);
        chain.Commission(T0, A).AssertGreen();
        chain.Move(T0, T0, Maker, Pharmacy, [A]);
        chain.Temperatures(Pharmacy, Steady(T0, T0.AddHours(1), TimeSpan.FromMinutes(5), 5m)).AssertGreen();

        // The fridge logger is silent for two hours (allowed unknown: 30 min).
        chain.Temperatures(Pharmacy, Steady(T0.AddHours(3), T0.AddHours(4), TimeSpan.FromMinutes(5), 5m)).AssertGreen();

        var state = chain.Rules.Find(A)!;
        Assert.False(state.IsCompromised);
        var answer = chain.Rules.Verify(A, null, null, Pharmacy, T0.AddHours(4));
        Assert.False(answer.Verified);
        Assert.Equal(PackStatus.Active, answer.Status);
        Assert.Equal([VerificationFailure.ColdChainUnknown], answer.Reasons);
        Assert.Equal(TimeSpan.FromHours(2), answer.ColdChain!.Exposure!.Unknown);
        chain.Dispense(T0.AddHours(4), Pharmacy, A).Outcome.AssertRed(RuleReason.ColdChainUnknown, A);

        // The missing readings arrive late (outbox backlog): the gap is filled and nothing needs releasing.
        chain.Temperatures(Pharmacy, Steady(T0.AddHours(1).AddMinutes(5), T0.AddHours(3).AddMinutes(-5), TimeSpan.FromMinutes(5), 5m)).AssertGreen();
        Assert.True(chain.Rules.Verify(A, null, null, Pharmacy, T0.AddHours(4)).Verified);
    }

    [Fact]
    public void Apply_ExcursionInContainerDuringTransit_Compromised()
    {
        var chain = new Chain(Profiles);
        chain.Commission(T0, A).AssertGreen();
        chain.Temperatures(Maker, Steady(T0, T0.AddHours(1), TimeSpan.FromMinutes(5), 5m)).AssertGreen();
        chain.Ship(T0.AddHours(1), Maker, Pharmacy, [A], Box1).AssertGreen();

        // The container logger: 45 minutes at 25 °C on the road.
        chain.ContainerTemperatures(Maker, Box1, Steady(T0.AddHours(1), T0.AddHours(2), TimeSpan.FromMinutes(5), 25m)).AssertGreen();

        Assert.True(chain.Rules.Find(A)!.IsCompromised);
        chain.Receive(T0.AddHours(2), Pharmacy, Maker, [A], Box1).AssertRed(RuleReason.ColdChainCompromised, A);
    }

    [Fact]
    public void Apply_ExcursionAtAnotherSite_DoesNotTouchPack()
    {
        var chain = new Chain(Profiles);
        chain.Commission(T0, A).AssertGreen();
        chain.Temperatures(Maker, Steady(T0, T0.AddHours(2), TimeSpan.FromMinutes(5), 5m)).AssertGreen();

        chain.Temperatures(Wholesaler, Steady(T0, T0.AddHours(2), TimeSpan.FromMinutes(5), 25m)).AssertGreen();

        Assert.False(chain.Rules.Find(A)!.IsCompromised);
        Assert.True(chain.Rules.Verify(A, null, null, null, T0.AddHours(2)).Verified);
    }

    [Fact]
    public void Apply_ProductWithoutProfile_NoColdChainRule()
    {
        var chain = new Chain(Profiles);
        chain.Commission(T0, Ambient).AssertGreen();

        chain.Temperatures(Maker, Steady(T0, T0.AddHours(2), TimeSpan.FromMinutes(5), 25m)).AssertGreen();

        var answer = chain.Rules.Verify(Ambient, null, null, null, T0.AddDays(3));
        Assert.True(answer.Verified);
        Assert.False(answer.ColdChain!.Profiled);
    }

    [Fact]
    public void CustodyRules_InvalidProfile_ConfigurationError()
    {
        var bad = new Dictionary<Gtin, ColdChainProfile> { [Vaccine] = Fridge2To8 with { LowerCelsius = 9m } };

        var error = Assert.Throws<ArgumentException>(() => new CustodyRules(bad));
        Assert.Contains("LowerCelsius", error.Message, StringComparison.Ordinal);
    }
}
