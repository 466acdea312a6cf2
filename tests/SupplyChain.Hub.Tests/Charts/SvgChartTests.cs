using System.Globalization;
using System.Xml.Linq;
using SupplyChain.Hub.Charts;

namespace SupplyChain.Hub.Tests.Charts;

public sealed class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static XElement Render(IReadOnlyList<ChartSeries> series, DateTimeOffset from, DateTimeOffset to, ChartBand? band = null) =>
        XElement.Parse(SvgChart.Render("Fridge <1> & co", series, from, to, band));

    private static List<(double X, double Y)> Points(XElement polyline) =>
        [.. polyline.Attribute("points")!.Value.Split(' ').Select(p => p.Split(',')).Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))];

    [Fact]
    public void Render_TwoReadingsAndBand_EndsOfThePlotAndBandBetweenItsLimits()
    {
        var series = new ChartSeries("fridge", [new ChartPoint(T0, 2), new ChartPoint(T0.AddHours(6), 8)]);

        var svg = Render([series], T0, T0.AddHours(6), new ChartBand(2, 8));

        var line = Points(Assert.Single(svg.Elements(Svg + "polyline")));
        var (low, high, _) = SvgChart.CelsiusRange([series], new ChartBand(2, 8));
        Assert.Equal((SvgChart.Left, Math.Round(SvgChart.Y(2, low, high), 1)), (line[0].X, line[0].Y));
        Assert.Equal(SvgChart.Left + SvgChart.PlotWidth, line[1].X);
        Assert.True(line[1].Y < line[0].Y, "8 °C is drawn above 2 °C");
        var band = svg.Elements(Svg + "rect").Single(r => r.Attribute("class")?.Value == "band");
        Assert.Equal(Math.Round(SvgChart.Y(8, low, high), 1), double.Parse(band.Attribute("y")!.Value, CultureInfo.InvariantCulture));
        Assert.Equal(
            Math.Round(SvgChart.Y(2, low, high) - SvgChart.Y(8, low, high), 1),
            double.Parse(band.Attribute("height")!.Value, CultureInfo.InvariantCulture),
            precision: 0);
    }

    [Fact]
    public void Render_ReadingsOutsideTheBand_EachMarkedRed()
    {
        var series = new ChartSeries("fridge", [new ChartPoint(T0, 5), new ChartPoint(T0.AddMinutes(10), 9.5), new ChartPoint(T0.AddMinutes(20), 1), new ChartPoint(T0.AddMinutes(30), 8)]);

        var svg = Render([series], T0, T0.AddMinutes(30), new ChartBand(2, 8));

        Assert.Equal(2, svg.Elements(Svg + "circle").Count(c => c.Attribute("class")?.Value == "out"));
    }

    [Fact]
    public void Render_TitleAndLabelWithMarkup_EscapedAsText()
    {
        var svg = Render([new ChartSeries("<script>alert(1)</script>", [new ChartPoint(T0, 5)])], T0, T0.AddHours(1));

        Assert.Equal("Fridge <1> & co", svg.Element(Svg + "title")!.Value);
        Assert.Empty(svg.Descendants(Svg + "script"));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "<script>alert(1)</script>");
    }

    [Fact]
    public void Render_NoReadings_SaysSo()
    {
        var svg = Render([], T0, T0.AddDays(1), new ChartBand(2, 8));

        Assert.Empty(svg.Elements(Svg + "polyline"));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "No readings in this period");
    }

    [Fact]
    public void Render_AMonthOfMinuteReadings_ThinnedToThePlotButThePeakKept()
    {
        var points = Enumerable.Range(0, 30 * 24 * 60).Select(i => new ChartPoint(T0.AddMinutes(i), i == 20_000 ? 25 : 5)).ToList();

        var svg = Render([new ChartSeries("fridge", points)], T0, T0.AddDays(30), new ChartBand(2, 8));

        var line = Points(Assert.Single(svg.Elements(Svg + "polyline")));
        var (low, high, _) = SvgChart.CelsiusRange([new ChartSeries("fridge", points)], new ChartBand(2, 8));
        Assert.InRange(line.Count, 2, SvgChart.PlotWidth * 2);
        Assert.Contains(line, p => Math.Abs(p.Y - SvgChart.Y(25, low, high)) < 0.1);
        Assert.Single(svg.Elements(Svg + "circle"));
    }

    [Fact]
    public void Render_SixHours_HourlyTicksInUtc()
    {
        var svg = Render([new ChartSeries("fridge", [new ChartPoint(T0.AddMinutes(5), 5)])], T0.AddMinutes(5), T0.AddHours(6));

        var ticks = svg.Elements(Svg + "text").Where(t => t.Attribute("class")?.Value == "tick").Select(t => t.Value).ToList();

        Assert.Equal(["09:00", "10:00", "11:00", "12:00", "13:00", "14:00"], ticks);
    }

    [Theory]
    [InlineData(2, 8, 1, 1.5, 8.5)]
    [InlineData(-25, -15, 2, -27, -13)]
    [InlineData(5, 5, 0.5, 4.75, 5.75)]
    public void CelsiusRange_Band_RoundTicksWithHalfAStepMargin(double lowBand, double highBand, double step, double low, double high)
    {
        var range = SvgChart.CelsiusRange([], new ChartBand(lowBand, highBand));

        Assert.Equal((low, high, step), range);
    }
}
