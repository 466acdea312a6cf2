using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Tests.Web;

/// <summary>Sign-in, sessions, CSRF and the sign-in rate limit, in Chromium against a real hub.</summary>
public sealed class SignInTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Visit_Unauthenticated_SentToSignInThenBackToThePage()
    {
        await using var scenario = await WebScenario.StartAsync();
        var page = await browser.NewPageAsync(scenario.Hub);

        await page.GotoAsync("/recalls");
        var signInUrl = page.Url;
        var navigation = await page.Locator("nav").CountAsync();
        await Browser.ScreenshotAsync(page, "signin-tablet");
        await page.FillAsync("#token", scenario.AddUser("anna", "quality"));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/recalls");
        var who = await page.InnerTextAsync("[data-testid=user]");

        Assert.EndsWith("/account/signin?ReturnUrl=%2Frecalls", signInUrl, StringComparison.Ordinal);
        Assert.Equal(0, navigation);
        Assert.Equal("anna", who);
    }

    [Fact]
    public async Task SignIn_ReturnUrlToAnotherHost_IgnoredForTheVerifyPage()
    {
        await using var scenario = await WebScenario.StartAsync();
        var page = await browser.NewPageAsync(scenario.Hub);

        await Browser.SignInAsync(page, scenario.AddUser("pia", "pharmacist"), "/account/signin?ReturnUrl=https%3A%2F%2Fevil.example%2F");
        await page.WaitForURLAsync("**/verify");

        Assert.StartsWith(scenario.Hub.Http.BaseAddress!.ToString(), page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_BadTokenRepeated_RefusedThen429WithRetryAfter()
    {
        await using var scenario = await WebScenario.StartAsync("--Web:SignInPerMinute=3");
        var good = scenario.AddUser("anna", "quality");
        var page = await browser.NewPageAsync(scenario.Hub);
        var errors = new List<string>();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            await Browser.SignInAsync(page, "ct_" + new string('x', 43));
            errors.Add(await page.InnerTextAsync("[data-testid=signin-error]"));
        }

        await Browser.ScreenshotAsync(page, "signin-refused-phone");
        await page.GotoAsync("/account/signin");
        await page.FillAsync("#token", good);
        var limited = await page.RunAndWaitForResponseAsync(
            () => page.ClickAsync("button[type=submit]"), response => response.Request.Method == "POST");
        var headers = await limited.AllHeadersAsync();

        Assert.All(errors, e => Assert.Contains("not accepted", e, StringComparison.Ordinal));
        Assert.Equal(429, limited.Status);
        Assert.True(int.Parse(headers["retry-after"], System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.Contains("Too many requests", await limited.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_Rejected400AndNothingDone()
    {
        await using var scenario = await WebScenario.StartAsync();
        await scenario.DeliverAsync(WebScenario.GoodLot, "G1");
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, scenario.AddUser("pia", "pharmacist"));
        await page.WaitForURLAsync("**/verify");
        var before = scenario.Hub.Service<Hub.Log.ILogStore>().ReadState().SequencedSize;

        // The session cookie goes along (same site), the antiforgery token does not: what a forged cross-site form would send.
        var dispense = await page.APIRequest.PostAsync("/verify?handler=dispense", new()
        {
            Form = RecallPagesTests.Form(page.APIRequest, ("Code", $"(01){WebScenario.Gtin}(21)G1")),
            MaxRedirects = 0,
        });
        var signOut = await page.APIRequest.PostAsync(SessionCookie.SignOutPath, new() { MaxRedirects = 0 });
        var stillSignedIn = await page.GotoAsync("/verify");

        Assert.Equal(400, dispense.Status);
        Assert.Equal(400, signOut.Status);
        Assert.Equal(before, scenario.Hub.Service<Hub.Log.ILogStore>().ReadState().SequencedSize);
        Assert.Equal(200, stillSignedIn!.Status);
        Assert.EndsWith("/verify", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_RevokedUserOrApiWithCookie_SignedOutAndApiWantsBearer()
    {
        await using var scenario = await WebScenario.StartAsync();
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, scenario.AddUser("anna", "quality"));
        await page.WaitForURLAsync("**/verify");

        // The JSON API takes bearer tokens only: the session cookie does not make a request to it signed in.
        var me = await page.APIRequest.GetAsync("/v1/me");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == SessionCookie.CookieName);
        Assert.True(scenario.Hub.Service<UserAccounts>().Revoke("anna").IsSuccess);
        await page.GotoAsync("/recalls");

        Assert.Equal(401, me.Status);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(Microsoft.Playwright.SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Contains("/account/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_Button_EndsTheSession()
    {
        await using var scenario = await WebScenario.StartAsync();
        var page = await browser.NewPageAsync(scenario.Hub);
        await Browser.SignInAsync(page, scenario.AddUser("anna", "quality"));
        await page.WaitForURLAsync("**/verify");

        await page.ClickAsync("text=Sign out");
        await page.WaitForURLAsync("**/account/signin");
        await page.GotoAsync("/verify");

        Assert.Contains("/account/signin?ReturnUrl=%2Fverify", page.Url, StringComparison.Ordinal);
    }
}
