using System.Globalization;
using SupplyChain.Hub.Tests.ColdChain;
using SupplyChain.Hub.Tests.Custody;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Web;

/// <summary>The cold-chain page in Chromium against a real hub fed real signed sensor events (issue 6, "Cold chain").</summary>
public sealed class ColdChainPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task ColdChain_Auditor_LocationsExcursionAndPlotWithTheRange()
    {
        await using var scenario = await ColdChainScenario.StartAsync();
        using var auditor = ApiUser.Add(scenario.Hub, "olga", "auditor");
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, auditor.Token);

        await page.GotoAsync("/coldchain");
        var wholesaler = page.Locator($"[data-testid=locations] tr[data-place='{ChainSites.WholesalerGln}']");
        var state = await wholesaler.Locator("[data-testid=state]").InnerTextAsync();
        var reading = await wholesaler.Locator("td.reading").InnerTextAsync();
        var excursions = page.Locator("[data-testid=excursions] tbody tr");
        var excursionCount = await excursions.CountAsync();
        var excursionText = await excursions.First.InnerTextAsync();
        var affected = await excursions.First.Locator("[data-testid=packs-affected]").InnerTextAsync();
        var lines = await page.Locator("[data-testid=chart] svg.chart polyline.series").CountAsync();
        var band = await page.Locator("[data-testid=chart] svg.chart rect.band").CountAsync();
        var marked = await page.Locator("[data-testid=chart] svg.chart circle.out").CountAsync();
        await Browser.ScreenshotAsync(page, "coldchain-tablet");
        var hourAgo = scenario.Now.AddHours(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var inAMinute = scenario.Now.AddMinutes(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        await page.GotoAsync($"/coldchain?place={ChainSites.WholesalerGln}&from={hourAgo}&to={inAMinute}");
        var zoomedPoints = await page.Locator("[data-testid=chart] figcaption").InnerTextAsync();
        await Browser.ScreenshotAsync(page, "coldchain-last-hour-tablet");

        Assert.Equal("ok", state);
        Assert.Equal("5.0 °C", reading);
        Assert.Equal(1, excursionCount);
        Assert.Contains("10.0 °C", excursionText, StringComparison.Ordinal);
        Assert.Contains("15 min", excursionText, StringComparison.Ordinal);
        Assert.Contains("9.7 °C", excursionText, StringComparison.Ordinal);
        Assert.Equal("2", affected);
        Assert.Equal(1, lines);
        Assert.Equal(1, band);
        Assert.Equal(2, marked);
        Assert.StartsWith("5 readings in the period", zoomedPoints, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ColdChain_ChosenPeriodWithoutReadings_EmptyPlotAndNoExcursion()
    {
        await using var scenario = await ColdChainScenario.StartAsync();
        using var pharmacist = ApiUser.Add(scenario.Hub, "phil", "pharmacist", ChainSites.PharmacyGln);
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, pharmacist.Token);
        await page.GotoAsync("/coldchain");
        var earlier = scenario.Now.AddDays(-3).UtcDateTime;

        await page.FillAsync("#from", earlier.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.FillAsync("#to", earlier.AddHours(6).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.ClickAsync("[data-testid=plot] button[type=submit]");
        await page.WaitForURLAsync("**/coldchain?**");
        var empty = await page.Locator("[data-testid=chart] svg.chart text.empty").CountAsync();
        var none = await page.Locator("[data-testid=excursions]").InnerTextAsync();
        await page.GotoAsync("/coldchain?from=yesterday");
        var warning = await page.Locator("[data-testid=coldchain-error]").InnerTextAsync();

        Assert.Equal(1, empty);
        Assert.Contains("No reading left its range", none, StringComparison.Ordinal);
        Assert.Contains("from must be an ISO 8601 time", warning, StringComparison.Ordinal);
    }
}
