using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Contracts.Signing;
using SupplyChain.Hub.Custody;

namespace SupplyChain.Hub.Tests.ColdChain;

/// <summary>
/// Real <see cref="CustodyRules"/> fed facts in log order, telling observers as <see cref="CustodyState"/> does: a
/// manufacturer, a wholesaler with a fridge sensor, and unsigned events (the rules never see signatures).
/// </summary>
internal sealed class RulesFeed(params ICustodyObserver[] observers)
{
    public const string Gtin = "09506000134352";
    public const string MakerGln = "9506000134376";
    public const string WholesalerGln = "9506000134390";
    public const string Fridge = "https://id.gs1.org/8004/9506000134352FRIDGE1";
    public const string Sscc = "106141411234567897";
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly Dictionary<string, long> _seq = new(StringComparer.Ordinal);
    private long _index;

    public CustodyRules Rules { get; } = new(new Dictionary<Gtin, ColdChainProfile>
    {
        [Contracts.Gs1.Gtin.TryParse(Gtin, out var gtin, out _) ? gtin : default] = new() { LowerCelsius = 2, UpperCelsius = 8 },
    });

    public static string SiteUri(string gln) => $"https://id.gs1.org/414/{gln}";

    public static string Pack(string serial) => $"https://id.gs1.org/01/{Gtin}/21/{serial}";

    public RuleOutcome Apply(ChainFact fact)
    {
        var outcome = Rules.Apply(fact);
        foreach (var observer in observers)
        {
            observer.Applied(_index, fact, outcome);
        }

        _index++;
        return outcome;
    }

    public void Enrol(string device, string gln, SiteRole role) =>
        Apply(new DeviceEnrolled(device, Gln.TryParse(gln, out var site, out _) ? site : default, role, "test", T0));

    public RuleOutcome Event(string device, Func<DateTimeOffset, DeviceStamp, CustodyEvent> make, DateTimeOffset? at = null)
    {
        var seq = _seq.GetValueOrDefault(device);
        _seq[device] = seq + 1;
        var stamp = new DeviceStamp(device, seq, EventId.None, "boot-1", ClockSynced: true);
        var e = make(at ?? T0.AddMinutes(seq), stamp);
        return Apply(new DeviceEventFact(EventId.Compute(EventCodec.Encode(e)), e));
    }

    public RuleOutcome Readings(string device, string gln, string asset, params (int Minute, decimal Celsius)[] samples) =>
        Event(device, (time, stamp) => CustodyEvents.ReportTemperatures(
            T0.AddMinutes(samples.Max(s => s.Minute)), stamp, SiteUri(gln), asset, [.. samples.Select(s => new TemperatureSample(T0.AddMinutes(s.Minute), s.Celsius))]));
}
