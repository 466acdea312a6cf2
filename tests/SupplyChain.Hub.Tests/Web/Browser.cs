using Microsoft.Playwright;

namespace SupplyChain.Hub.Tests.Web;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by tests/run.sh; Playwright never downloads a browser here),
/// headless, shared by the tests of a class. Pages open in their own context (own cookies) on a tablet-sized viewport.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>A counter tablet in landscape.</summary>
    public static readonly ViewportSize Tablet = new() { Width = 1024, Height = 768 };

    /// <summary>A phone in portrait.</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: apt-get install chromium (tests/run.sh does).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true });
    }

    /// <summary>A fresh page (no cookies) whose relative URLs go to <paramref name="hub"/>.</summary>
    internal async Task<IPage> NewPageAsync(RunningHub hub, ViewportSize? viewport = null)
    {
        var context = await _browser!.NewContextAsync(new()
        {
            BaseURL = hub.Http.BaseAddress!.ToString().TrimEnd('/'),
            ViewportSize = viewport ?? Tablet,
            AcceptDownloads = true,
        });
        // A bound, not a speed check: CI runs these beside the integration tests on 2 shared cores (a 15 s bound was hit once).
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the sign-in page with an API token.</summary>
    public static async Task SignInAsync(IPage page, string token, string path = "/account/signin")
    {
        await page.GotoAsync(path);
        await page.FillAsync("#token", token);
        await page.ClickAsync("button[type=submit]");
    }

    /// <summary>Writes a full-page screenshot to <c>artifacts/screenshots/NAME.png</c> under the repository root.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SupplyChain.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SupplyChain.sln above {AppContext.BaseDirectory}.");
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
