using SupplyChain.Hub.Log;
using SupplyChain.Hub.Tests.ColdChain;
using SupplyChain.Hub.Tests.Users;

namespace SupplyChain.Hub.Tests.Web;

/// <summary>The log page in Chromium against a real hub: checkpoint, verifier key, a checked consistency proof, the audit.</summary>
public sealed class LogPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Log_Auditor_CheckpointConsistencyVerifiedAndCleanAudit()
    {
        await using var scenario = await ColdChainScenario.StartAsync();
        var size = await scenario.Hub.AppendAndIntegrateAsync(["{\"note\":\"page test\"}"]);
        using var auditor = ApiUser.Add(scenario.Hub, "olga", "auditor");
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, auditor.Token);

        await page.GotoAsync("/log");
        var checkpointSize = await page.Locator("[data-testid=checkpoint-size]").InnerTextAsync();
        var vkey = await page.Locator("[data-testid=vkey]").InnerTextAsync();
        var note = await page.Locator("[data-testid=checkpoint-note]").InnerTextAsync();
        var consistency = await page.Locator("[data-testid=consistency-result]").InnerTextAsync();
        await page.ClickAsync("[data-testid=audit] button[type=submit]");
        await page.Locator("[data-testid=log-message]").WaitForAsync();
        // The audit runs in the background; the page shows its result once it is done.
        for (var attempt = 0; attempt < 50 && (await page.Locator("[data-testid=audit-state]").InnerTextAsync()).Trim() != "clean"; attempt++)
        {
            await Task.Delay(100);
            await page.GotoAsync("/log");
        }

        var audit = (await page.Locator("[data-testid=audit-state]").InnerTextAsync()).Trim();
        var entries = await page.Locator("[data-testid=audit-entries]").InnerTextAsync();
        await Browser.ScreenshotAsync(page, "log-tablet");

        var latest = scenario.Hub.Service<LogReader>().Checkpoint!;
        Assert.True(latest.Size >= size);
        Assert.Equal($"{latest.Size} entries", checkpointSize);
        Assert.Equal(scenario.Hub.Service<HubSigningKey>().VerifierKey, vkey.Trim());
        Assert.StartsWith($"coldtrace.localhost/log\n{latest.Size}\n", note, StringComparison.Ordinal);
        Assert.StartsWith("Verified", consistency, StringComparison.Ordinal);
        Assert.Contains($"→ size {latest.Size}", consistency, StringComparison.Ordinal);
        Assert.Equal("clean", audit);
        Assert.StartsWith($"{latest.Size} entries", entries, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_PharmacistBadSizes_ErrorAndNoAuditButton()
    {
        await using var hub = await RunningHub.StartAsync();
        await hub.AppendAndIntegrateAsync(["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"]);
        using var pharmacist = ApiUser.Add(hub, "phil", "pharmacist", Custody.ChainSites.PharmacyGln);
        var page = await browser.NewPageAsync(hub);
        await Browser.SignInAsync(page, pharmacist.Token);
        await page.GotoAsync("/log");

        await page.FillAsync("#from", "3");
        await page.FillAsync("#to", "1");
        await page.ClickAsync("[data-testid=consistency] button[type=submit]");
        var error = await page.Locator("[data-testid=consistency-error]").InnerTextAsync();
        var auditButtons = await page.Locator("[data-testid=audit] button").CountAsync();

        Assert.Contains("1 ≤ from ≤ to", error, StringComparison.Ordinal);
        Assert.Equal(0, auditButtons);
    }
}
