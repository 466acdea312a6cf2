using Microsoft.Playwright;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Recalls;
using SupplyChain.Hub.Tests.Custody;

namespace SupplyChain.Hub.Tests.Web;

/// <summary>The recall pages in Chromium against a real hub: a quality manager at 7 a.m., and a warehouse user who may not.</summary>
public sealed class RecallPagesTests(Browser browser) : IClassFixture<Browser>
{
    private static async Task<WebScenario> StockAsync()
    {
        var scenario = await WebScenario.StartAsync();
        await scenario.DeliverAsync("L1", "S1", "S2");
        await scenario.DeliverAsync(WebScenario.GoodLot, "G1");
        return scenario;
    }

    [Fact]
    public async Task OpenRecall_ByLot_PreviewThenAffectedPacksGroupedAtThePharmacy()
    {
        await using var scenario = await StockAsync();
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, scenario.AddUser("anna", "quality"), "/account/signin?ReturnUrl=%2Frecalls");
        await page.WaitForURLAsync("**/recalls");
        await Browser.ScreenshotAsync(page, "recalls-empty-tablet");

        await page.ClickAsync("[data-testid=new-recall]");
        await page.WaitForURLAsync("**/recalls/new");
        await page.FillAsync("#gtin", WebScenario.Gtin);
        await page.FillAsync("#lot", "L1");
        await page.ClickAsync("[data-testid=preview]");
        await page.WaitForSelectorAsync("[data-testid=preview-summary]");
        var summary = await page.InnerTextAsync("[data-testid=preview-summary]");
        var previewed = await page.Locator("[data-testid=pack]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.pack)");
        var loggedBeforeOpen = hub(scenario).ReadState().SequencedSize;
        await Browser.ScreenshotAsync(page, "recalls-new-preview-tablet");

        await page.FillAsync("#reason", "supplier notice 42: particles in vials");
        await page.ClickAsync("[data-testid=open]");
        await page.WaitForURLAsync("**/recalls/R-*");
        var id = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var packs = await page.InnerTextAsync("[data-testid=packs]");
        var quarantined = await page.InnerTextAsync("[data-testid=quarantined]");
        var stillDispensable = (await page.InnerTextAsync("[data-testid=still-dispensable] .n"), await page.GetAttributeAsync("[data-testid=still-dispensable]", "class"));
        var groups = await page.Locator("[data-testid=site-group]").EvaluateAllAsync<string[]>("groups => groups.map(g => g.dataset.site)");
        var affected = await page.Locator("[data-testid=pack]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.pack)");
        await Browser.ScreenshotAsync(page, "recall-details-tablet");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=csv]"));
        var csv = await File.ReadAllLinesAsync(await download.PathAsync());
        await page.GotoAsync("/recalls");
        var listed = await page.InnerTextAsync("[data-testid=recalls]");
        await Browser.ScreenshotAsync(page, "recalls-list-tablet");
        var phone = await browser.NewPageAsync(scenario.Hub, Browser.Phone);
        await Browser.SignInAsync(phone, scenario.AddUser("otto", "auditor"), $"/account/signin?ReturnUrl=%2Frecalls%2F{id}");
        await phone.WaitForURLAsync($"**/recalls/{id}");
        await Browser.ScreenshotAsync(phone, "recall-details-phone");

        string[] expected = [ChainDevice.Pack("S1"), ChainDevice.Pack("S2")];
        Assert.StartsWith("2 packs at 1 site", summary, StringComparison.Ordinal);
        Assert.Equal(expected, previewed);
        Assert.Matches("^R-[0-9]{8}-[0-9A-F]{6}$", id);
        Assert.Equal(loggedBeforeOpen + 1, hub(scenario).ReadState().SequencedSize);
        Assert.Equal(("2", "2"), (packs, quarantined));
        Assert.Equal("0", stillDispensable.Item1);
        Assert.Contains("good", stillDispensable.Item2, StringComparison.Ordinal);
        Assert.Equal([ChainSites.PharmacyGln], groups);
        Assert.Equal(expected, affected);
        Assert.Equal($"{id}-packs.csv", download.SuggestedFilename);
        Assert.StartsWith("recall_id,gtin,serial", csv[0], StringComparison.Ordinal);
        Assert.Equal(3, csv.Length);
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.Contains("lot L1 of GTIN", listed, StringComparison.Ordinal);
        Assert.Equal(0, await phone.Locator("[data-testid=close]").CountAsync());

        static ILogStore hub(WebScenario s) => s.Hub.Service<ILogStore>();
    }

    [Fact]
    public async Task OpenRecall_WarehouseUser_NoButtonPageForbiddenAndForgedPost403()
    {
        await using var scenario = await StockAsync();
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, scenario.AddUser("wes", "warehouse"), "/account/signin?ReturnUrl=%2Frecalls");
        await page.WaitForURLAsync("**/recalls");
        var buttons = await page.Locator("[data-testid=new-recall]").CountAsync();
        var antiforgery = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var before = scenario.Hub.Service<ILogStore>().ReadState().SequencedSize;

        var newPage = await page.GotoAsync("/recalls/new");
        // A forged form post with the user's own session and a valid antiforgery token: refused by the role, not by CSRF.
        var forged = await page.APIRequest.PostAsync("/recalls/new?handler=open", new()
        {
            Form = Form(page.APIRequest, ("__RequestVerificationToken", antiforgery!), ("Type", "lot"), ("Gtin", WebScenario.Gtin), ("Lot", "L1"), ("Reason", "forged")),
            MaxRedirects = 0,
        });

        Assert.Equal(0, buttons);
        Assert.Equal(403, newPage!.Status);
        Assert.Equal(403, forged.Status);
        Assert.Equal(before, scenario.Hub.Service<ILogStore>().ReadState().SequencedSize);
        Assert.Empty(scenario.Hub.Service<RecallLedger>().List());
    }

    internal static IFormData Form(IAPIRequestContext request, params (string Name, string Value)[] fields)
    {
        var form = request.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }
}
