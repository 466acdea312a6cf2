using Microsoft.Extensions.Options;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;

namespace SupplyChain.Hub.ColdChain;

/// <summary>
/// The read side of the cold-chain page and <c>/v1/coldchain</c>: places with their state, excursions, and a place's
/// readings over a window. Places and sensors come from <see cref="ColdChainBoard"/>; readings and packs from the
/// custody rules, read under the state's lock (<see cref="CustodyState.Read"/>) after catching up with the log.
/// </summary>
internal sealed class ColdChainView(CustodyState custody, ColdChainBoard board, IOptions<ColdChainOptions> options)
{
    /// <summary>Longest window a plot or an excursion list may span (longer ones are refused, not truncated).</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);

    /// <summary>Most excursions one answer lists (the newest).</summary>
    public const int MaxExcursions = 500;

    private readonly Lazy<Dictionary<Gtin, ColdChainProfile>> _profiles = new(() =>
        options.Value.TryBuild(out var profiles, out var problem) ? profiles : throw new InvalidOperationException(problem));

    /// <summary>Every place with a sensor or with packs now (a site whose packs all left and has no sensor is not listed).</summary>
    public IReadOnlyList<LocationView> Locations(DateTimeOffset now)
    {
        custody.CatchUp();
        return [.. board.Snapshot().Where(place => place.Sensors.Count > 0 || place.Packs > 0).Select(place => Locate(place, now))];
    }

    /// <summary>The range <paramref name="place"/> is judged against (see <see cref="AllowedRange"/>).</summary>
    public AllowedRange? RangeOf(Place place) => RangeOf(board.ProductsAt(place));

    /// <summary>
    /// Every place's excursions overlapping [<paramref name="from"/>, <paramref name="to"/>), newest first, at most
    /// <paramref name="limit"/>, each with the packs an exposure recall of its window would cover. Cost: the readings in
    /// the window, plus one pass over all packs per excursion listed (the recall preview's <see cref="CustodyRules.Select"/>).
    /// </summary>
    public IReadOnlyList<ExcursionView> Excursions(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, int limit, Place? only = null)
    {
        var ranges = board.Snapshot().ToDictionary(p => p.Place, p => RangeOf(p.Products));
        return custody.Read((rules, _) =>
        {
            var found = new List<(Place Place, AllowedRange Range, Excursion Excursion)>();
            foreach (var (place, series) in rules.Readings)
            {
                if (only is { } wanted && wanted != place)
                {
                    continue;
                }

                var range = ranges.TryGetValue(place, out var known) ? known : RangeOf([]);
                if (range is not { } r)
                {
                    continue;
                }

                found.AddRange(ExcursionFinder.Find(series, r, from, to, now, limit).Select(e => (place, r, e)));
            }

            return found
                .OrderByDescending(f => f.Excursion.Start)
                .ThenBy(f => f.Place.Id, StringComparer.Ordinal)
                .Take(limit)
                .Select(f => new ExcursionView(
                    f.Place,
                    f.Range,
                    f.Excursion,
                    rules.Select(new ExposureRecallScope(f.Place, f.Excursion.Start, f.Excursion.WindowEnd)).Count))
                .ToList();
        });
    }

    /// <summary>The readings of <paramref name="place"/> in the window, or null when it never reported one.</summary>
    public SeriesWindow? Series(Place place, DateTimeOffset from, DateTimeOffset to) =>
        custody.Read((rules, _) => rules.Readings.TryGetValue(place, out var series) ? SeriesWindow.Of(series, from, to) : null);

    private LocationView Locate(PlaceSnapshot place, DateTimeOffset now)
    {
        var range = RangeOf(place.Products);
        var gap = range?.MaxReadingGap ?? AllowedRange.DefaultReadingGap;
        var state = place.Latest is not { } latest ? LocationState.NoReading
            : now - latest.Time > gap ? LocationState.NoRecentReading
            : range is { } r && !r.Contains(latest.Celsius) ? LocationState.Excursion
            : LocationState.Ok;
        return new LocationView(place, range, state);
    }

    private AllowedRange? RangeOf(IReadOnlyList<Gtin> products)
    {
        var profiles = _profiles.Value;
        var own = products.Select(profiles.GetValueOrDefault).OfType<ColdChainProfile>().ToList();
        return AllowedRange.Of(own.Count > 0 ? own : profiles.Values);
    }
}

/// <summary>How a place stands: its newest reading inside the range, outside it, too old, or none at all.</summary>
internal enum LocationState
{
    Ok = 1,
    Excursion = 2,
    NoRecentReading = 3,
    NoReading = 4,
}

internal static class LocationStates
{
    public static string Name(LocationState state) => state switch
    {
        LocationState.Ok => "ok",
        LocationState.Excursion => "excursion",
        LocationState.NoRecentReading => "no_recent_reading",
        _ => "no_reading",
    };
}

/// <summary>A place on the cold-chain page: what the board knows, the range it is judged against, its state.</summary>
internal sealed record LocationView(PlaceSnapshot Place, AllowedRange? Range, LocationState State);

/// <summary>An excursion at a place with the range it broke and how many packs were there during it.</summary>
internal sealed record ExcursionView(Place Place, AllowedRange Range, Excursion Excursion, int PacksAffected);
