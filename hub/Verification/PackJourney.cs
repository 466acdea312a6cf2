using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Charts;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Web;

namespace SupplyChain.Hub.Verification;

/// <summary>One step of a pack's custody, from one log entry: what happened, where, by whom, and whether the rules refused it.</summary>
internal sealed record JourneyStep(long Index, DateTimeOffset Time, string What, string Where, string Who, string? Detail, bool Refused);

/// <summary>
/// A pack's journey for the verify page: the custody steps the verification relied on (the log entries naming the pack,
/// in log order), the temperatures of every place it was kept in while it was there (PROTOCOL.md §6: exposure is the
/// readings of the places of its presence), its product's allowed range, and the open recalls covering it.
/// </summary>
internal sealed record PackJourney(
    IReadOnlyList<JourneyStep> Steps,
    IReadOnlyList<ChartSeries> Temperatures,
    ChartBand? Band,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<string> Recalls)
{
    public static PackJourney Of(PackKey pack, IEnumerable<long> entries, CustodyState custody, LogReader log, SiteLabels sites, DateTimeOffset now)
    {
        var steps = new List<JourneyStep>();
        foreach (var index in entries)
        {
            if (log.Entry(index) is not { } entry || LogFacts.Read(entry) is not { } fact)
            {
                continue;
            }

            var refused = custody.VerdictAt(index) is { Verdict: Verdict.Red };
            switch (fact)
            {
                case DeviceEventFact e:
                    var detail = e.Event.Party is { } party
                        ? (e.Event.Kind == Contracts.Events.CustodyEventKind.Receiving ? "from " : "to ") + sites.Of(party)
                        : e.Event.Lot is { } lot ? $"lot {lot}" : null;
                    steps.Add(new JourneyStep(index, e.At, PlainWords.Event(e.Event.Kind), sites.Of(e.Event.ReadPoint), $"device {e.Event.Device.DeviceId}", detail, refused));
                    break;
                case PackDispensed d:
                    steps.Add(new JourneyStep(index, d.At, "Dispensed at the counter", sites.Of(d.Site.Value), d.Actor, "through the hub", refused));
                    break;
                case DispenseUndone u:
                    steps.Add(new JourneyStep(index, u.At, "Dispense undone", sites.Of(u.Site.Value), u.Actor, "through the hub", refused));
                    break;
            }
        }

        return custody.Read((rules, _) =>
        {
            var state = rules.Find(pack);
            var profile = rules.ProfileOf(pack.Gtin);
            var series = new List<ChartSeries>();
            var from = state?.CommissionedTime ?? now;
            foreach (var stay in state?.Presence ?? [])
            {
                if (stay.Place is not { } place || !rules.Readings.TryGetValue(place, out var readings))
                {
                    continue;
                }

                var until = stay.To ?? now;
                var points = readings.Where(r => r.Time >= stay.From && r.Time <= until).Select(r => new ChartPoint(r.Time, (double)r.Celsius)).ToList();
                if (points.Count > 0)
                {
                    var label = place.Kind == PlaceKind.Site ? sites.Of(place.Id) : $"container {place.Id}";
                    series.Add(new ChartSeries(label, points));
                }
            }

            // Up to the latest reading (or, without readings, the latest step), not to "now" or the dispense: a pack that
            // sat on a shelf for months after its last reading still shows its journey at a readable scale.
            var to = series.SelectMany(s => s.Points).Select(p => p.Time).DefaultIfEmpty(steps.Select(s => s.Time).DefaultIfEmpty(from).Max()).Max();
            ChartBand? band = profile is null ? null : new ChartBand((double)profile.LowerCelsius, (double)profile.UpperCelsius);
            return new PackJourney(steps, series, band, from, to > from ? to : from.AddHours(1), state?.Recalls ?? []);
        });
    }
}
