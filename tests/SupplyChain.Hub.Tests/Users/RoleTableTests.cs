using System.Net;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Xunit.Abstractions;

namespace SupplyChain.Hub.Tests.Users;

/// <summary>
/// Every endpoint and every page handler × every role (and no one signed in) on the real hub, against the one
/// <see cref="RoleTable"/>: the endpoints come from the hub's <see cref="EndpointDataSource"/> and the handlers from its
/// page models, so a new one fails here until the table (and with it docs/API.md) says who may call it.
/// </summary>
public sealed partial class RoleTableTests(ITestOutputHelper output)
{
    private const string UnknownRecall = "R-20000101-000000";

    [Fact]
    public async Task EveryEndpointAndPage_EachRole_AllowedOrRefusedExactlyAsTheTableSays()
    {
        await using var hub = await RunningHub.StartAsync(null, "--Web:SignInPerMinute=1000", "--Web:VerifyPerMinute=10000");
        // The open log endpoints answer 503 until the integrator signed the first checkpoint; a loaded machine got there late.
        using (var first = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (hub.Service<Hub.Log.LogHead>().Current is null)
            {
                await Task.Delay(50, first.Token);
            }
        }

        var tokens = RoleTable.Callers.Skip(1).ToDictionary(role => role, role => ApiUser.Add(hub, "u-" + role, role));
        var failures = new List<string>();
        var probes = 0;

        var api = ApiEndpoints(hub);
        var pages = PageHandlers(hub, failures);
        CompareKeys(api, RoleTable.Api, failures);
        CompareKeys(pages, RoleTable.Pages, failures);

        foreach (var caller in RoleTable.Callers)
        {
            using var bearer = caller == RoleTable.Anonymous ? new HttpClient { BaseAddress = hub.Http.BaseAddress } : tokens[caller].Http;
            foreach (var (key, allowed) in RoleTable.Api.Where(row => api.Contains(row.Key)))
            {
                probes++;
                var (method, path) = Split(key);
                using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
                request.Content = method == "POST" ? new StringContent("{}", Encoding.UTF8, "application/json") : null;
                using var response = await bearer.SendAsync(request);
                Check(key, caller, RoleTable.Expected(allowed, caller, page: false), response, failures);
            }

            var (session, csrf) = await SessionAsync(hub, caller == RoleTable.Anonymous ? null : tokens[caller].Token);
            using (session)
            {
                // Signing out ends the session the other probes use: it goes last.
                foreach (var (key, allowed) in RoleTable.Pages.Where(row => pages.Contains(row.Key)).OrderBy(row => row.Key.Contains("signout", StringComparison.Ordinal)))
                {
                    probes++;
                    var (method, path) = Split(key);
                    using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
                    request.Content = method == "POST" ? new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", csrf)]) : null;
                    using var response = await session.SendAsync(request);
                    Check(key, caller, RoleTable.Expected(allowed, caller, page: true), response, failures);
                }
            }
        }

        output.WriteLine($"{api.Count} endpoints, {pages.Count} page handlers, {RoleTable.Callers.Length} callers, {probes} probes");
        foreach (var user in tokens.Values)
        {
            user.Dispose();
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void DocsApi_WhoMayCallWhat_IsTheRoleTable()
    {
        var doc = File.ReadAllText(DocsApiPath());
        const string begin = "<!-- roles table: generated from tests/SupplyChain.Hub.Tests/Users/RoleTable.cs; RoleTableTests checks it -->\n";
        const string end = "<!-- end of roles table -->";
        var start = doc.IndexOf(begin, StringComparison.Ordinal);
        var stop = doc.IndexOf(end, StringComparison.Ordinal);
        Assert.True(start >= 0 && stop > start, $"docs/API.md lacks the two marker lines of the roles table:\n{begin}{end}");
        if (Environment.GetEnvironmentVariable("COLDTRACE_WRITE_DOCS") == "1")
        {
            // COLDTRACE_WRITE_DOCS=1 dotnet test --filter RoleTableTests rewrites the doc's copy from the table.
            File.WriteAllText(DocsApiPath(), doc[..(start + begin.Length)] + RoleTable.Markdown() + doc[stop..]);
            return;
        }

        Assert.True(
            RoleTable.Markdown() == doc[(start + begin.Length)..stop],
            "docs/API.md's roles table differs from RoleTable.cs: run COLDTRACE_WRITE_DOCS=1 dotnet test tests/SupplyChain.Hub.Tests --filter RoleTableTests");
    }

    private static void Check(string key, string caller, string expected, HttpResponseMessage response, List<string> failures)
    {
        var status = (int)response.StatusCode;
        var location = response.Headers.Location?.OriginalString ?? string.Empty;
        var got = status switch
        {
            401 => "401",
            403 => "403",
            302 when location.Contains("/account/signin?", StringComparison.OrdinalIgnoreCase) => "sign-in",
            _ => "yes",
        };
        if (status >= 500)
        {
            failures.Add($"{key} as {caller}: {status}");
        }
        else if (got != expected)
        {
            failures.Add($"{key} as {caller}: {got} ({status} {location}), the table says {expected}");
        }
    }

    private static void CompareKeys(HashSet<string> mapped, IReadOnlyList<(string Key, string[] Allowed)> table, List<string> failures)
    {
        var keys = table.Select(row => row.Key).ToHashSet();
        failures.AddRange(mapped.Except(keys).Order().Select(key => $"{key}: mapped by the hub, no row in RoleTable; add one (and regenerate docs/API.md)"));
        failures.AddRange(keys.Except(mapped).Order().Select(key => $"{key}: a RoleTable row for something the hub does not map"));
    }

    /// <summary>Every route the hub maps that is not a page: "METHOD pattern".</summary>
    private static HashSet<string> ApiEndpoints(RunningHub hub) =>
        [.. hub.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(method => $"{method} {Normalize(e.RoutePattern.RawText!)}"))];

    /// <summary>Every page's GET and every handler method of its page model, at its route: "METHOD /route[?handler=name]".</summary>
    private static HashSet<string> PageHandlers(RunningHub hub, List<string> failures)
    {
        // A page's shortest route (Index pages have two: "verify/Index" and "verify").
        var routes = hub.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Page: e.Metadata.GetMetadata<PageActionDescriptor>(), Route: e.RoutePattern.RawText ?? string.Empty))
            .Where(p => p.Page is not null)
            .GroupBy(p => p.Page!.ViewEnginePath, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => Normalize(g.MinBy(p => p.Route.Length).Route), StringComparer.OrdinalIgnoreCase);
        var handlers = new HashSet<string>();
        foreach (var model in typeof(HubHost).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(PageModel))))
        {
            // SupplyChain.Hub.Pages.Recalls.NewModel is the page /Recalls/New.
            var path = model.Namespace!["SupplyChain.Hub.Pages".Length..].Replace('.', '/') + "/" + model.Name[..^"Model".Length];
            if (!routes.TryGetValue(path, out var route))
            {
                failures.Add($"page model {model.FullName}: no page {path} among the hub's endpoints");
                continue;
            }

            // A page answers GET even without an OnGet method (it renders).
            handlers.Add($"GET {route}");
            foreach (var method in model.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (HandlerName().Match(method.Name) is { Success: true } match)
                {
                    var handler = match.Groups[2].Value.ToLowerInvariant();
                    handlers.Add($"{match.Groups[1].Value.ToUpperInvariant()} {route}{(handler.Length > 0 ? "?handler=" + handler : string.Empty)}");
                }
            }
        }

        return handlers;
    }

    private static string Normalize(string raw)
    {
        var path = "/" + raw.Trim('/');
        return path.Equals("/index", StringComparison.OrdinalIgnoreCase) ? "/" : path.ToLowerInvariant();
    }

    private static (string Method, string Path) Split(string key) => (key[..key.IndexOf(' ', StringComparison.Ordinal)], key[(key.IndexOf(' ', StringComparison.Ordinal) + 1)..]);

    // Harmless route values: a request that gets past authorization does nothing (unknown ids, empty bodies).
    private static string Fill(string path) => path
        .Replace("{gtin}", "09506000134352", StringComparison.Ordinal)
        .Replace("{serial}", "S1", StringComparison.Ordinal)
        .Replace("{index}", "0", StringComparison.Ordinal)
        .Replace("{id}", UnknownRecall, StringComparison.Ordinal)
        .Replace("{**path}", "0/000", StringComparison.Ordinal);

    /// <summary>A browser-like client (cookies, no redirects followed) signed in with <paramref name="token"/>, and its antiforgery token.</summary>
    private static async Task<(HttpClient Client, string Csrf)> SessionAsync(RunningHub hub, string? token)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = hub.Http.BaseAddress };
        var csrf = Csrf(await client.GetStringAsync("/account/signin"));
        if (token is null)
        {
            return (client, csrf);
        }

        using var signIn = await client.PostAsync("/account/signin", new FormUrlEncodedContent([KeyValuePair.Create("Token", token), KeyValuePair.Create("__RequestVerificationToken", csrf)]));
        Assert.True(signIn.StatusCode == HttpStatusCode.Redirect, $"sign-in: {signIn.StatusCode}");
        return (client, Csrf(await client.GetStringAsync("/verify")));
    }

    private static string Csrf(string html)
    {
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, "no antiforgery field on the page");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static string DocsApiPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "docs", "API.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/API.md not found above the test directory.");
    }

    [GeneratedRegex("^On(Get|Post)(.*?)(Async)?$")]
    private static partial Regex HandlerName();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
