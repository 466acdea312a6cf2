using System.Text.Json;
using Microsoft.Playwright;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Recalls;
using SupplyChain.Hub.Tests.Custody;

namespace SupplyChain.Hub.Tests.Web;

/// <summary>The verify page in Chromium against a real hub: a pharmacist at the counter (issue 6, "Browser tests").</summary>
public sealed class VerifyPageTests(Browser browser) : IClassFixture<Browser>
{
    private const string Gtin = WebScenario.Gtin;

    private static async Task<WebScenario> CounterAsync()
    {
        var scenario = await WebScenario.StartAsync();
        await scenario.DeliverAsync("L1", "S1", "S2");
        await scenario.DeliverAsync(WebScenario.GoodLot, "G1", "G2");
        await scenario.FridgeReadingsAsync();
        Assert.True(Contracts.Gs1.Gtin.TryParse(Gtin, out var gtin, out _));
        var (made, refusal) = await scenario.Hub.Service<RecallDesk>().OpenAsync(
            new LotRecallScope(gtin, "L1"), "supplier notice 42", "qa-lead", CancellationToken.None);
        Assert.Null(refusal);
        Assert.NotNull(made);
        return scenario;
    }

    private static async Task VerifyAsync(IPage page, string code)
    {
        await page.FillAsync("#code", code);
        await page.PressAsync("#code", "Enter");
        await page.WaitForSelectorAsync("[data-testid=answer], [data-testid=problem]");
    }

    [Fact]
    public async Task Verify_GoodPackThenRecalledPack_GreenSafeThenRedRecalled()
    {
        await using var scenario = await CounterAsync();
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, scenario.AddUser("pia", "pharmacist"));

        // Signed in, the counter lands on the verify page with the field focused for the scanner.
        await page.WaitForURLAsync("**/verify");
        Assert.Equal("code", await page.EvaluateAsync<string>("document.activeElement.id"));
        await VerifyAsync(page, $"(01){Gtin}(21)G1(10){WebScenario.GoodLot}(17)300131");
        var good = page.Locator("[data-testid=answer]");
        var goodText = await good.InnerTextAsync();
        var goodClass = await good.GetAttributeAsync("class");
        var chartLines = await page.Locator("svg.chart polyline.series").CountAsync();
        var band = await page.Locator("svg.chart rect.band").CountAsync();
        var steps = await page.Locator("[data-testid=timeline] li").CountAsync();
        await Browser.ScreenshotAsync(page, "verify-good-tablet");

        await VerifyAsync(page, $"https://id.gs1.org/01/{Gtin}/21/S1");
        var bad = page.Locator("[data-testid=answer]");
        var badText = await bad.InnerTextAsync();
        var badClass = await bad.GetAttributeAsync("class");
        var reasons = await page.Locator("[data-testid=reasons] li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.reason)");
        var dispenseOffered = await page.Locator("[data-testid=dispense]").CountAsync();
        await Browser.ScreenshotAsync(page, "verify-recalled-tablet");

        Assert.Contains("Safe to dispense", goodText, StringComparison.Ordinal);
        Assert.Contains("good", goodClass, StringComparison.Ordinal);
        Assert.Equal(1, chartLines);
        Assert.Equal(1, band);
        Assert.Equal(5, steps);
        Assert.Contains("Do not dispense", badText, StringComparison.Ordinal);
        Assert.Contains("bad", badClass, StringComparison.Ordinal);
        Assert.Contains("recalled", reasons);
        Assert.Contains("Recalled", badText, StringComparison.Ordinal);
        Assert.Equal(0, dispenseOffered);
    }

    [Fact]
    public async Task Dispense_GoodPackThenUndo_LoggedAsPharmacistDecisionsAndStockAgain()
    {
        await using var scenario = await CounterAsync();
        var page = await browser.NewPageAsync(scenario.Hub, Browser.Phone);
        await Browser.SignInAsync(page, scenario.AddUser("pia", "pharmacist"));
        await page.WaitForURLAsync("**/verify");
        await VerifyAsync(page, $"01{Gtin}21G2");
        await Browser.ScreenshotAsync(page, "verify-good-phone");

        await page.ClickAsync("[data-testid=dispense]");
        await page.WaitForSelectorAsync("[data-testid=notice]");
        var dispensed = await page.InnerTextAsync("[data-testid=notice]");
        var afterDispense = await page.InnerTextAsync("[data-testid=answer]");
        await Browser.ScreenshotAsync(page, "verify-dispensed-phone");
        await page.ClickAsync("[data-testid=undo]");
        await page.WaitForSelectorAsync("[data-testid=notice] >> text=undone");
        var undone = await page.InnerTextAsync("[data-testid=notice]");
        var afterUndo = await page.InnerTextAsync("[data-testid=answer]");

        Assert.Contains("Dispensed. Logged at index", dispensed, StringComparison.Ordinal);
        Assert.Contains("Dispensed", afterDispense, StringComparison.Ordinal);
        Assert.Contains("Dispense undone", undone, StringComparison.Ordinal);
        Assert.Contains("Safe to dispense", afterUndo, StringComparison.Ordinal);
        var decisions = Decisions(scenario.Hub).Where(d => d.GetProperty("decision").GetString() is "pack_dispensed" or "dispense_undone").ToList();
        Assert.Equal(["pack_dispensed", "dispense_undone"], decisions.Select(d => d.GetProperty("decision").GetString()));
        Assert.All(decisions, d => Assert.Equal(("pia", ChainSites.PharmacyGln, ChainDevice.Pack("G2")), (d.GetProperty("actor").GetString(), d.GetProperty("site").GetString(), d.GetProperty("pack").GetString())));
    }

    [Fact]
    public async Task Dispense_RecalledPackForgedPost_RefusedAndLoggedRed()
    {
        await using var scenario = await CounterAsync();
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, scenario.AddUser("pia", "pharmacist"));
        await page.WaitForURLAsync("**/verify");
        await VerifyAsync(page, $"(01){Gtin}(21)G1");

        // The page offers no dispense for a recalled pack; a pharmacist who forges one with a valid token is refused by the rules.
        await page.EvaluateAsync("code => document.querySelector('form[action*=dispense] input[name=Code]').value = code", ChainDevice.Pack("S1"));
        await page.ClickAsync("[data-testid=dispense]");
        await page.WaitForSelectorAsync("[data-testid=notice]");
        var notice = await page.InnerTextAsync("[data-testid=notice]");

        Assert.Contains("Not dispensed", notice, StringComparison.Ordinal);
        Assert.Contains("recalled", notice, StringComparison.Ordinal);
        Assert.Equal("recalled", (await VerificationAsync(scenario, "S1")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Verify_WarehouseUser_AnswerWithoutDispenseButtons()
    {
        await using var scenario = await CounterAsync();
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, scenario.AddUser("wes", "warehouse"));
        await page.WaitForURLAsync("**/verify");

        await VerifyAsync(page, $"(01){Gtin}(21)G1");

        Assert.Contains("Safe to dispense", await page.InnerTextAsync("[data-testid=answer]"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-testid=dispense]").CountAsync());
        Assert.Equal(1, await page.Locator("[data-testid=proof]").CountAsync());
    }

    [Fact]
    public async Task DownloadProof_GoodPack_SameJsonAsTheApi()
    {
        await using var scenario = await CounterAsync();
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, scenario.AddUser("pia", "pharmacist"));
        await page.WaitForURLAsync("**/verify");
        await VerifyAsync(page, $"(01){Gtin}(21)G1");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=proof]"));
        var path = await download.PathAsync();
        var file = JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement;
        var api = await VerificationAsync(scenario, "G1");

        Assert.Equal($"coldtrace-proof-{Gtin}-G1.json", download.SuggestedFilename);
        Assert.True(file.GetProperty("verified").GetBoolean());
        Assert.Equal(api.GetProperty("proofs").GetArrayLength(), file.GetProperty("proofs").GetArrayLength());
        Assert.Equal(api.GetProperty("logKey").GetString(), file.GetProperty("logKey").GetString());
        Assert.Equal(
            api.GetProperty("proofs").EnumerateArray().Select(p => p.GetProperty("leafHash").GetString()),
            file.GetProperty("proofs").EnumerateArray().Select(p => p.GetProperty("leafHash").GetString()));
    }

    [Fact]
    public async Task Verify_NotAGs1Code_PlainProblemAndFieldReady()
    {
        await using var scenario = await WebScenario.StartAsync();
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, scenario.AddUser("pia", "pharmacist"));
        await page.WaitForURLAsync("**/verify");

        await VerifyAsync(page, "hello");

        Assert.Contains("Not a GS1 code", await page.InnerTextAsync("[data-testid=problem]"), StringComparison.Ordinal);
        Assert.Equal("code", await page.EvaluateAsync<string>("document.activeElement.id"));
    }

    private static async Task<JsonElement> VerificationAsync(WebScenario scenario, string serial) =>
        JsonDocument.Parse(await scenario.Hub.Http.GetStringAsync($"/v1/packs/{Gtin}/{serial}/verification?site={ChainSites.PharmacyGln}")).RootElement;

    private static List<JsonElement> Decisions(RunningHub hub)
    {
        var reader = hub.Service<LogReader>();
        var size = hub.Service<ILogStore>().ReadState().SequencedSize;
        return [.. reader.Entries(0, (int)size)
            .Where(e => e.Leaf[0] == (byte)LogLeafKind.HubDecision)
            .Select(e => JsonDocument.Parse(e.Leaf.AsMemory(1)).RootElement)];
    }
}
