using System.Text.Json;
using System.Text.Json.Serialization;
using FsCheck;
using FsCheck.Fluent;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Contracts.Signing;
using static SupplyChain.Contracts.Tests.Rules.Chain;
using PropertyAttribute = FsCheck.Xunit.PropertyAttribute;

namespace SupplyChain.Contracts.Tests.Rules;

public sealed class DeterminismTests
{
    private static readonly Dictionary<Gtin, ColdChainProfile> Profiles = new() { [Vaccine] = Fridge2To8 };
    private static readonly JsonSerializerOptions Json = new() { Converters = { new EventIdConverter() } };

    /// <summary>One pack's path: how far it gets, whether it travels in a container, and the fridge temperature on the way.</summary>
    private readonly record struct PackPlan(int Steps, bool Boxed, int Tenths);

    [Fact]
    public void Apply_SameLogTwice_IdenticalOutcomesAndStates()
    {
        var facts = History([new PackPlan(6, true, 50), new PackPlan(4, false, 120), new PackPlan(7, true, 50), new PackPlan(2, false, 50)]);

        var first = Replay(facts);
        var second = Replay(facts);

        Assert.Equal(first, second);
        Assert.Contains("\"Verdict\":2", first, StringComparison.Ordinal);
    }

    /// <summary>The generated histories are valid: applied in log order, every fact is green.</summary>
    [Property(MaxTest = 40)]
    public Property Apply_GeneratedHistoryInLogOrder_AllGreen() =>
        Prop.ForAll(Plans(inRange: true).ToArbitrary(), plans =>
        {
            var rules = new CustodyRules(Profiles);
            return History(plans).All(f => rules.Apply(f).IsGreen);
        });

    /// <summary>Any order of a history (valid or not) replays to the same outcomes, states and answers every time.</summary>
    [Property(MaxTest = 40)]
    public Property Apply_AnyOrderOfAHistory_ReplaysIdentically() =>
        Prop.ForAll(
            (from plans in Plans(inRange: false)
             from order in Gen.Shuffle(History(plans).ToArray())
             select order).ToArbitrary(),
            facts => Replay(facts) == Replay(facts));

    private static Gen<PackPlan[]> Plans(bool inRange) =>
        Gen.ArrayOf(
            from steps in Gen.Choose(1, 7)
            from boxed in Gen.Elements(true, false)
            from tenths in inRange ? Gen.Choose(25, 75) : Gen.Choose(-50, 250)
            select new PackPlan(steps, boxed, tenths))
        .Where(p => p.Length is > 0 and <= 6);

    /// <summary>
    /// A valid log: enrollments, then per pack in turn commission, fridge readings, ship to the wholesaler (optionally boxed),
    /// receive, ship to the pharmacy, receive, dispense, undo; a lot recall and a release close it.
    /// </summary>
    private static List<ChainFact> History(IReadOnlyList<PackPlan> plans)
    {
        var chain = new Chain(Profiles, enroll: false);
        List<ChainFact> facts =
        [
            new DeviceEnrolled(DeviceOf(Maker), Maker, SiteRole.Manufacturer, "admin", T0),
            new DeviceEnrolled(DeviceOf(Wholesaler), Wholesaler, SiteRole.Wholesaler, "admin", T0),
            new DeviceEnrolled(DeviceOf(Pharmacy), Pharmacy, SiteRole.Pharmacy, "admin", T0),
        ];
        for (var i = 0; i < plans.Count; i++)
        {
            var plan = plans[i];
            var pack = Pack($"P{i}");
            var start = T0.AddDays(i);
            DateTimeOffset H(double hours) => start.AddHours(hours);
            string[] epcs = [pack.ToDigitalLink()];
            string? box = plan.Boxed ? Uri(Box1) : null;
            var celsius = plan.Tenths / 10m;

            facts.Add(chain.Event(Maker, d => CustodyEvents.Commission(H(0), d, Uri(Maker), epcs, LotNumber, Expires)));
            facts.Add(Readings(chain, Maker, Fridge, H(0), H(1), celsius));
            if (plan.Steps >= 2)
            {
                facts.Add(chain.Event(Maker, d => CustodyEvents.Ship(H(1), d, Uri(Maker), epcs, Uri(Wholesaler), box)));
                facts.Add(Readings(chain, Maker, box ?? Fridge, H(1), H(2), celsius));
            }

            if (plan.Steps >= 3)
            {
                facts.Add(chain.Event(Wholesaler, d => CustodyEvents.Receive(H(1.25), d, Uri(Wholesaler), epcs, Uri(Maker), box)));
                facts.Add(Readings(chain, Wholesaler, Fridge, H(1.25), H(3), celsius));
            }

            if (plan.Steps >= 4)
            {
                facts.Add(chain.Event(Wholesaler, d => CustodyEvents.Ship(H(3), d, Uri(Wholesaler), epcs, Uri(Pharmacy), box)));
                facts.Add(Readings(chain, Wholesaler, box ?? Fridge, H(3), H(4), celsius));
            }

            if (plan.Steps >= 5)
            {
                facts.Add(chain.Event(Pharmacy, d => CustodyEvents.Receive(H(3.25), d, Uri(Pharmacy), epcs, Uri(Wholesaler), box)));
                facts.Add(Readings(chain, Pharmacy, Fridge, H(3.25), H(5), celsius));
            }

            if (plan.Steps >= 6)
            {
                var dispense = chain.Event(Pharmacy, d => CustodyEvents.Dispense(H(5), d, Uri(Pharmacy), epcs));
                facts.Add(dispense);
                if (plan.Steps >= 7)
                {
                    facts.Add(chain.Event(Pharmacy, d => CustodyEvents.UndoDispense(H(6), d, Uri(Pharmacy), epcs, dispense.Id)));
                }
            }
        }

        var end = T0.AddDays(plans.Count + 1);
        facts.Add(new RecallOpened("R-1", new LotRecallScope(Vaccine, LotNumber), "qa", "stability", end));
        facts.Add(new QuarantineReleased([Pack("P0")], "qa", "reviewed", end));
        facts.Add(new RecallClosed("R-1", "qa", "done", end.AddHours(1)));
        return facts;
    }

    /// <summary>Readings every 5 minutes over [from, to] (no gaps), the <paramref name="asset"/> reported by the site's device.</summary>
    private static DeviceEventFact Readings(Chain chain, Gln site, string asset, DateTimeOffset from, DateTimeOffset to, decimal celsius) =>
        chain.Event(site, d => CustodyEvents.ReportTemperatures(to, d, Uri(site), asset,
            [.. Steady(from, to, TimeSpan.FromMinutes(5), celsius).Select(s => new TemperatureSample(s.Item1, s.Item2))]));

    /// <summary>Applies the facts to a fresh engine and writes every outcome, every final state and every answer as JSON.</summary>
    private static string Replay(IReadOnlyList<ChainFact> facts)
    {
        var rules = new CustodyRules(Profiles);
        var outcomes = facts.Select(rules.Apply).ToList();
        var now = T0.AddDays(30);
        var answers = rules.Packs.Select(p => rules.Verify(p.Key, null, null, Pharmacy, now)).ToList();
        return JsonSerializer.Serialize(new { outcomes, packs = rules.Packs.ToList(), answers, recalls = rules.OpenRecalls }, Json);
    }

    private sealed class EventIdConverter : JsonConverter<EventId>
    {
        public override EventId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            EventId.TryParse(reader.GetString(), out var id, out _) ? id : throw new JsonException();

        public override void Write(Utf8JsonWriter writer, EventId value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
