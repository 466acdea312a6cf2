using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace SupplyChain.Hub.Charts;

/// <summary>One reading on a chart: when, and the temperature in °C.</summary>
internal readonly record struct ChartPoint(DateTimeOffset Time, double Celsius);

/// <summary>A line on a chart (a place, a sensor); its points in time order.</summary>
internal sealed record ChartSeries(string Label, IReadOnlyList<ChartPoint> Points);

/// <summary>The allowed range, shaded; readings outside it are marked.</summary>
internal readonly record struct ChartBand(double LowCelsius, double HighCelsius);

/// <summary>
/// Temperatures over time as inline SVG, rendered on the server (no script, no external files): a shaded allowed band,
/// one line per series, readings outside the band marked red, time and °C axes with round ticks, all in UTC. Series
/// with more points than the plot has pixels are thinned to each pixel column's lowest and highest reading, so peaks
/// and dips survive. Used by the verify page (a pack's journey) and the cold-chain page (any sensor).
/// </summary>
internal static class SvgChart
{
    public const int Width = 800;
    public const int Height = 300;
    public const int Left = 52;
    public const int Right = 16;
    public const int Top = 30;
    public const int Bottom = 36;

    public static int PlotWidth => Width - Left - Right;

    public static int PlotHeight => Height - Top - Bottom;

    private static readonly string[] Palette = ["#0b4f8a", "#6a3d9a", "#1b7f79", "#b15928", "#33658a", "#7a5c00"];
    private static readonly TimeSpan[] TimeSteps =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12),
        TimeSpan.FromDays(1), TimeSpan.FromDays(2), TimeSpan.FromDays(7), TimeSpan.FromDays(14), TimeSpan.FromDays(30),
    ];

    private static readonly double[] CelsiusSteps = [0.5, 1, 2, 5, 10, 20, 50];

    /// <summary>The chart as an <c>&lt;svg&gt;</c> element, safe to write into a page unencoded (every text is escaped).</summary>
    public static string Render(string title, IReadOnlyList<ChartSeries> series, DateTimeOffset from, DateTimeOffset to, ChartBand? band = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (to <= from)
        {
            to = from.AddMinutes(1);
        }

        var (low, high, step) = CelsiusRange(series, band);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Text(title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Text(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{PlotWidth}\" height=\"{PlotHeight}\" fill=\"#fafbfc\" stroke=\"#d6dbe1\"/>");
        if (band is { } allowed)
        {
            var bandTop = Y(Math.Min(allowed.HighCelsius, high), low, high);
            var bandBottom = Y(Math.Max(allowed.LowCelsius, low), low, high);
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"band\" x=\"{Left}\" y=\"{N(bandTop)}\" width=\"{PlotWidth}\" height=\"{N(bandBottom - bandTop)}\" fill=\"#e4f5ea\" stroke=\"#0a7a35\" stroke-dasharray=\"4 3\"/>");
        }

        CelsiusAxis(svg, low, high, step);
        TimeAxis(svg, from, to);

        var points = 0;
        for (var i = 0; i < series.Count; i++)
        {
            var color = Palette[i % Palette.Length];
            var shown = Thin(series[i].Points.Where(p => p.Time >= from && p.Time <= to).ToList(), from, to);
            points += shown.Count;
            if (shown.Count == 0)
            {
                continue;
            }

            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"series\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"");
            foreach (var point in shown)
            {
                svg.Append(CultureInfo.InvariantCulture, $"{N(X(point.Time, from, to))},{N(Y(point.Celsius, low, high))} ");
            }

            svg.Length--;
            svg.Append("\"/>");
            if (band is { } range)
            {
                foreach (var point in shown.Where(p => p.Celsius < range.LowCelsius || p.Celsius > range.HighCelsius))
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"out\" cx=\"{N(X(point.Time, from, to))}\" cy=\"{N(Y(point.Celsius, low, high))}\" r=\"3\" fill=\"#b3261e\"/>");
                }
            }
        }

        Legend(svg, series, band);
        if (points == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"empty\" x=\"{Left + (PlotWidth / 2)}\" y=\"{Top + (PlotHeight / 2)}\" text-anchor=\"middle\" fill=\"#5b6570\" font-size=\"16\">No readings in this period</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The x coordinate of <paramref name="time"/>.</summary>
    public static double X(DateTimeOffset time, DateTimeOffset from, DateTimeOffset to) =>
        Left + ((time - from).Ticks / (double)(to - from).Ticks * PlotWidth);

    /// <summary>The y coordinate of <paramref name="celsius"/> on an axis from <paramref name="low"/> to <paramref name="high"/>.</summary>
    public static double Y(double celsius, double low, double high) => Top + PlotHeight - ((celsius - low) / (high - low) * PlotHeight);

    /// <summary>The °C axis: the data and the band, widened to round ticks (at most about six).</summary>
    public static (double Low, double High, double Step) CelsiusRange(IReadOnlyList<ChartSeries> series, ChartBand? band)
    {
        var values = series.SelectMany(s => s.Points).Select(p => p.Celsius).ToList();
        if (band is { } b)
        {
            values.Add(b.LowCelsius);
            values.Add(b.HighCelsius);
        }

        var min = values.Count > 0 ? values.Min() : 0;
        var max = values.Count > 0 ? values.Max() : 10;
        var step = CelsiusSteps.FirstOrDefault(s => (max - min) / s <= 6, CelsiusSteps[^1]);
        var low = Math.Floor(min / step) * step;
        var high = Math.Ceiling(max / step) * step;
        if (high - low < step)
        {
            high = low + step;
        }

        // Room above and below so a reading on the edge is not drawn on the frame.
        return (low - (step / 2), high + (step / 2), step);
    }

    private static List<ChartPoint> Thin(List<ChartPoint> points, DateTimeOffset from, DateTimeOffset to)
    {
        if (points.Count <= PlotWidth * 2)
        {
            return points;
        }

        var thinned = new List<ChartPoint>(PlotWidth * 2);
        foreach (var column in points.GroupBy(p => (int)X(p.Time, from, to)))
        {
            var lowest = column.MinBy(p => p.Celsius);
            var highest = column.MaxBy(p => p.Celsius);
            if (lowest == highest)
            {
                thinned.Add(lowest);
            }
            else
            {
                thinned.Add(lowest.Time <= highest.Time ? lowest : highest);
                thinned.Add(lowest.Time <= highest.Time ? highest : lowest);
            }
        }

        return thinned;
    }

    private static void CelsiusAxis(StringBuilder svg, double low, double high, double step)
    {
        for (var value = Math.Ceiling(low / step) * step; value <= high; value += step)
        {
            var y = N(Y(value, low, high));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left + PlotWidth}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#e6e9ed\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y}\" dy=\"4\" text-anchor=\"end\" font-size=\"12\" fill=\"#5b6570\">{value.ToString("0.#", CultureInfo.InvariantCulture)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Top - 10}\" text-anchor=\"end\" font-size=\"12\" fill=\"#5b6570\">°C</text>");
    }

    private static void TimeAxis(StringBuilder svg, DateTimeOffset from, DateTimeOffset to)
    {
        var span = to - from;
        var step = TimeSteps.FirstOrDefault(s => span / s <= 6, TimeSteps[^1]);
        var format = span > TimeSpan.FromDays(1) ? "dd MMM HH:mm" : "HH:mm";
        var first = new DateTimeOffset((from.UtcTicks + step.Ticks - 1) / step.Ticks * step.Ticks, TimeSpan.Zero);
        for (var tick = first; tick <= to; tick += step)
        {
            var x = N(X(tick, from, to));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" x2=\"{x}\" y1=\"{Top + PlotHeight}\" y2=\"{Top + PlotHeight + 5}\" stroke=\"#5b6570\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{x}\" y=\"{Top + PlotHeight + 20}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#5b6570\">{tick.UtcDateTime.ToString(format, CultureInfo.InvariantCulture)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + PlotWidth}\" y=\"{Height - 2}\" text-anchor=\"end\" font-size=\"11\" fill=\"#5b6570\">UTC</text>");
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<ChartSeries> series, ChartBand? band)
    {
        var x = (double)Left;
        if (band is { } b)
        {
            var label = $"allowed {b.LowCelsius.ToString("0.#", CultureInfo.InvariantCulture)}–{b.HighCelsius.ToString("0.#", CultureInfo.InvariantCulture)} °C";
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"8\" width=\"14\" height=\"10\" fill=\"#e4f5ea\" stroke=\"#0a7a35\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x + 18)}\" y=\"17\" font-size=\"12\" fill=\"#1b1f24\">{Text(label)}</text>");
            x += 26 + (label.Length * 6.5);
        }

        for (var i = 0; i < series.Count && x < Width - 60; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{N(x)}\" y=\"11\" width=\"14\" height=\"4\" fill=\"{Palette[i % Palette.Length]}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"legend\" x=\"{N(x + 18)}\" y=\"17\" font-size=\"12\" fill=\"#1b1f24\">{Text(series[i].Label)}</text>");
            x += 26 + (series[i].Label.Length * 6.5);
        }
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Text(string text) => HtmlEncoder.Default.Encode(text);
}
