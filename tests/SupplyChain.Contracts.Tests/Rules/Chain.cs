using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Tests.Rules;

/// <summary>
/// A small supply chain for scenario tests: one manufacturer, one wholesaler, two pharmacies, each with one enrolled
/// device; events are built with the real <see cref="CustodyEvents"/> factories, encoded, and identified by the SHA-256 of
/// the payload, exactly as the hub would see them.
/// </summary>
internal sealed class Chain
{
    public static readonly Gln Maker = GlnOf("9506000134369");
    public static readonly Gln Wholesaler = GlnOf("9506000134376");
    public static readonly Gln Pharmacy = GlnOf("9506000134383");
    public static readonly Gln OtherPharmacy = GlnOf("9506000134390");
    public static readonly Gtin Vaccine = GtinOf("09506000134352");
    public static readonly Gtin Tablets = GtinOf("09506000134369");
    public static readonly Sscc Box1 = SsccOf("095060001343520017");
    public static readonly Sscc Box2 = SsccOf("095060001343520024");
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    public const string LotNumber = "LOT42A";
    public static readonly DateOnly Expires = new(2027, 6, 30);
    public const string Fridge = "https://id.gs1.org/8004/95060001343ABC";

    private readonly Dictionary<Gln, (string Id, long Seq, EventId Prev)> devices = [];

    public Chain(IReadOnlyDictionary<Gtin, ColdChainProfile>? profiles = null, bool enroll = true)
    {
        Rules = new CustodyRules(profiles);
        if (enroll)
        {
            EnrollAll();
        }
    }

    public CustodyRules Rules { get; }

    /// <summary>Every fact applied, in order, with its outcome.</summary>
    public List<(ChainFact Fact, RuleOutcome Outcome)> Log { get; } = [];

    public static PackKey Pack(string serial, Gtin? gtin = null) =>
        new(gtin ?? Vaccine, Serial.TryParse(serial, out var s, out var reason) ? s : throw new ArgumentException(reason));

    public static string Uri(Gln gln) => $"https://id.gs1.org/414/{gln.Value}";

    public static string Uri(Sscc sscc) => $"https://id.gs1.org/00/{sscc.Value}";

    public static ColdChainProfile Fridge2To8 => new()
    {
        LowerCelsius = 2m,
        UpperCelsius = 8m,
        AllowedOutOfRange = TimeSpan.FromMinutes(60),
        MaxExcursion = TimeSpan.FromMinutes(30),
        MaxReadingGap = TimeSpan.FromMinutes(15),
        AllowedUnknown = TimeSpan.FromMinutes(30),
    };

    public void EnrollAll()
    {
        Enroll(Maker, SiteRole.Manufacturer);
        Enroll(Wholesaler, SiteRole.Wholesaler);
        Enroll(Pharmacy, SiteRole.Pharmacy);
        Enroll(OtherPharmacy, SiteRole.Pharmacy);
    }

    public RuleOutcome Enroll(Gln site, SiteRole role) =>
        Apply(new DeviceEnrolled(DeviceOf(site), site, role, "it-admin@example.com", T0.AddDays(-1)));

    public static string DeviceOf(Gln site) => $"scanner-{site.Value}";

    public RuleOutcome Apply(ChainFact fact)
    {
        var outcome = Rules.Apply(fact);
        Log.Add((fact, outcome));
        return outcome;
    }

    /// <summary>Builds the device event of <paramref name="site"/>'s device (next seq, chained prev) as a fact, without applying it.</summary>
    public DeviceEventFact Event(Gln site, Func<DeviceStamp, CustodyEvent> build)
    {
        var (id, seq, prev) = devices.GetValueOrDefault(site, (DeviceOf(site), 0, EventId.None));
        var custodyEvent = build(new DeviceStamp(id, seq, prev, "boot-1", ClockSynced: true));
        var eventId = EventId.Compute(EventCodec.Encode(custodyEvent));
        devices[site] = (id, seq + 1, eventId);
        return new DeviceEventFact(eventId, custodyEvent);
    }

    public RuleOutcome Commission(DateTimeOffset at, params PackKey[] packs) => Commission(at, LotNumber, Expires, packs);

    public RuleOutcome Commission(DateTimeOffset at, string lot, DateOnly expiry, params PackKey[] packs) =>
        Apply(Event(Maker, d => CustodyEvents.Commission(at, d, Uri(Maker), Uris(packs), lot, expiry)));

    public RuleOutcome Ship(DateTimeOffset at, Gln from, Gln to, PackKey[] packs, Sscc? container = null) =>
        Apply(Event(from, d => CustodyEvents.Ship(at, d, Uri(from), Uris(packs), Uri(to), container is { } c ? Uri(c) : null)));

    public RuleOutcome Receive(DateTimeOffset at, Gln site, Gln from, PackKey[] packs, Sscc? container = null) =>
        Apply(Event(site, d => CustodyEvents.Receive(at, d, Uri(site), Uris(packs), Uri(from), container is { } c ? Uri(c) : null)));

    /// <summary>Ships and receives in one go.</summary>
    public void Move(DateTimeOffset shipped, DateTimeOffset received, Gln from, Gln to, PackKey[] packs, Sscc? container = null)
    {
        Ship(shipped, from, to, packs, container).AssertGreen();
        Receive(received, to, from, packs, container).AssertGreen();
    }

    public (RuleOutcome Outcome, EventId Id) Dispense(DateTimeOffset at, Gln site, params PackKey[] packs)
    {
        var fact = Event(site, d => CustodyEvents.Dispense(at, d, Uri(site), Uris(packs)));
        return (Apply(fact), fact.Id);
    }

    public RuleOutcome Undo(DateTimeOffset at, Gln site, EventId dispense, params PackKey[] packs) =>
        Apply(Event(site, d => CustodyEvents.UndoDispense(at, d, Uri(site), Uris(packs), dispense)));

    public RuleOutcome Return(DateTimeOffset at, Gln site, Gln? to, params PackKey[] packs) =>
        Apply(Event(site, d => CustodyEvents.Return(at, d, Uri(site), Uris(packs), to is { } t ? Uri(t) : null)));

    public RuleOutcome Destroy(DateTimeOffset at, Gln site, params PackKey[] packs) =>
        Apply(Event(site, d => CustodyEvents.Destroy(at, d, Uri(site), Uris(packs))));

    /// <summary>A sensor report of the site's fridge (the site's storage place).</summary>
    public RuleOutcome Temperatures(Gln site, params (DateTimeOffset Time, decimal Celsius)[] samples) =>
        Report(site, Fridge, samples);

    /// <summary>A sensor report of a container's logger, sent by the device of <paramref name="site"/>.</summary>
    public RuleOutcome ContainerTemperatures(Gln site, Sscc container, params (DateTimeOffset Time, decimal Celsius)[] samples) =>
        Report(site, Uri(container), samples);

    /// <summary>Readings every <paramref name="step"/> from <paramref name="from"/> up to and including <paramref name="to"/>, all at one temperature.</summary>
    public static (DateTimeOffset, decimal)[] Steady(DateTimeOffset from, DateTimeOffset to, TimeSpan step, decimal celsius)
    {
        var list = new List<(DateTimeOffset, decimal)>();
        for (var t = from; t <= to; t += step)
        {
            list.Add((t, celsius));
        }

        return [.. list];
    }

    public RuleOutcome Recall(string id, RecallScope scope, DateTimeOffset at) =>
        Apply(new RecallOpened(id, scope, "qa.lead@example.com", "Stability failure", at));

    public RuleOutcome Release(DateTimeOffset at, string reason, params PackKey[] packs) =>
        Apply(new QuarantineReleased(packs, "qa.lead@example.com", reason, at));

    private RuleOutcome Report(Gln site, string asset, (DateTimeOffset Time, decimal Celsius)[] samples) =>
        Apply(Event(site, d => CustodyEvents.ReportTemperatures(
            samples.Max(s => s.Time), d, Uri(site), asset, [.. samples.Select(s => new TemperatureSample(s.Time, s.Celsius))])));

    private static string[] Uris(PackKey[] packs) => [.. packs.Select(p => p.ToDigitalLink())];

    private static Gln GlnOf(string digits) => Gln.TryParse(digits, out var gln, out var reason) ? gln : throw new ArgumentException(reason);

    private static Gtin GtinOf(string digits) => Gtin.TryParse(digits, out var gtin, out var reason) ? gtin : throw new ArgumentException(reason);

    private static Sscc SsccOf(string digits) => Sscc.TryParse(digits, out var sscc, out var reason) ? sscc : throw new ArgumentException(reason);
}

internal static class OutcomeAssertions
{
    public static void AssertGreen(this RuleOutcome outcome) =>
        Assert.True(outcome.IsGreen, $"Expected green, got red: {string.Join(", ", outcome.Findings)}");

    public static void AssertRed(this RuleOutcome outcome, RuleReason reason, PackKey? pack = null)
    {
        Assert.Equal(Verdict.Red, outcome.Verdict);
        Assert.Contains(new RuleFinding(reason, pack), outcome.Findings);
        Assert.Contains(new RuleFinding(reason, pack), outcome.Alerts);
    }
}
