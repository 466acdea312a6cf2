using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Charts;
using SupplyChain.Hub.ColdChain;

namespace SupplyChain.Hub.Pages.ColdChain;

/// <summary>
/// <c>/coldchain</c>: every site and container with its newest reading and state, the excursions of a period, and a plot
/// of one place's readings over that period with its allowed range (server-rendered SVG, <see cref="SvgChart"/>). The
/// period comes from the form (UTC; the last 24 hours by default); the data from <see cref="ColdChainView"/>.
/// </summary>
internal sealed class IndexModel(ColdChainView view, TimeProvider time) : PageModel
{
    /// <summary>How the form writes times: an HTML <c>datetime-local</c> value, read as UTC.</summary>
    public const string InputFormat = "yyyy-MM-dd'T'HH:mm";

    [BindProperty(SupportsGet = true)]
    public string? Place { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public DateTimeOffset Now { get; private set; }

    public TimeWindow Window { get; private set; }

    public IReadOnlyList<LocationView> Locations { get; private set; } = [];

    public IReadOnlyList<ExcursionView> Excursions { get; private set; } = [];

    /// <summary>The plotted place, when one has readings.</summary>
    public Place? Plotted { get; private set; }

    public SeriesWindow? Series { get; private set; }

    public AllowedRange? PlottedRange { get; private set; }

    /// <summary>The plot as an SVG element (its texts escaped by <see cref="SvgChart"/>).</summary>
    public string? Chart { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
        Now = time.GetUtcNow();
        if (!TimeWindow.TryParse(From, To, Now, ColdChainView.MaxWindow, out var window, out var reason))
        {
            Error = $"Period not shown: {reason}. Showing the last 24 hours.";
            window = new TimeWindow(Now - TimeWindow.Default, Now);
        }

        Window = window;
        From = window.From.UtcDateTime.ToString(InputFormat, CultureInfo.InvariantCulture);
        To = window.To.UtcDateTime.ToString(InputFormat, CultureInfo.InvariantCulture);
        Locations = view.Locations(Now);
        Excursions = view.Excursions(window.From, window.To, Now, ColdChainView.MaxExcursions);

        Place? plotted = null;
        if (!string.IsNullOrWhiteSpace(Place))
        {
            if (PlaceText.TryParse(Place, out var asked, out reason))
            {
                plotted = asked;
            }
            else
            {
                Error = $"Nothing plotted: {reason}.";
            }
        }
        else
        {
            // Nothing chosen yet: the place of the newest excursion, else the first place with a reading.
            plotted = Excursions.Count > 0 ? Excursions[0].Place
                : Locations.FirstOrDefault(l => l.Place.Latest is not null)?.Place.Place;
        }

        if (plotted is { } place)
        {
            Plot(place, window);
        }
    }

    private void Plot(Place place, TimeWindow window)
    {
        Plotted = place;
        Place = PlaceText.Key(place);
        Series = view.Series(place, window.From, window.To);
        if (Series is null)
        {
            Error = $"{Label(place)} has never reported a reading.";
            return;
        }

        PlottedRange = view.RangeOf(place);
        var points = Series.Points.Select(p => new ChartPoint(p.Time, (double)p.Celsius)).ToList();
        ChartBand? band = PlottedRange is { } r ? new ChartBand((double)r.Lower, (double)r.Upper) : null;
        Chart = SvgChart.Render($"Temperature at {Label(place)}", [new ChartSeries(Label(place), points)], window.From, window.To, band);
    }

    public static string Label(Place place) => place.Kind == PlaceKind.Site ? $"site {place.Id}" : $"container {place.Id}";

    public static string StateBadge(LocationState state) => state switch
    {
        LocationState.Ok => "good",
        LocationState.Excursion => "bad",
        _ => "warn",
    };

    public static string StateText(LocationState state) => state switch
    {
        LocationState.Ok => "ok",
        LocationState.Excursion => "excursion",
        LocationState.NoRecentReading => "no recent reading",
        _ => "no reading",
    };

    public static string When(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A short duration for people: 45 s, 12 min, 3 h 05 min, 2 d 4 h.</summary>
    public static string Span(TimeSpan span) =>
        span < TimeSpan.FromMinutes(1) ? $"{Math.Max(0, (int)span.TotalSeconds)} s"
        : span < TimeSpan.FromHours(1) ? $"{(int)span.TotalMinutes} min"
        : span < TimeSpan.FromDays(1) ? $"{(int)span.TotalHours} h {span.Minutes:00} min"
        : $"{(int)span.TotalDays} d {span.Hours} h";

    public static string Celsius(decimal celsius) => celsius.ToString("0.0#", CultureInfo.InvariantCulture) + " °C";

    public static string Range(AllowedRange? range) =>
        range is { } r ? $"{r.Lower.ToString("0.#", CultureInfo.InvariantCulture)}–{r.Upper.ToString("0.#", CultureInfo.InvariantCulture)} °C" : "no profile";
}
