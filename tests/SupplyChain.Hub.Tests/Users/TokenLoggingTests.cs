using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Tests.Users;

/// <summary>
/// Tokens are never logged (STYLE.md rule 8, issue #7 item 9): the real hub logging everything at Trace level into a
/// recording provider while users are added, sign in with good and bad tokens, call the API with good, unknown,
/// malformed and revoked tokens and sign out; no line (message, arguments, scopes, exception) holds a token, the part
/// after <c>ct_</c>, or the token's SHA-256 (the user store's key) or a prefix of it.
/// </summary>
public sealed partial class TokenLoggingTests
{
    [Fact]
    public async Task Hub_SignInsAndApiCallsWithGoodAndBadTokens_NoTokenNorItsHashInAnyLogLine()
    {
        var capture = new LogCapture();
        await using var hub = await RunningHub.StartWithAsync(builder => builder.Logging.AddProvider(capture), null, "--Logging:LogLevel:Default=Trace", "--Web:SignInPerMinute=100");
        using var quality = ApiUser.Add(hub, "anna", "quality");
        using var pharmacist = ApiUser.Add(hub, "pia", "pharmacist");
        using var leaver = ApiUser.Add(hub, "leo", "warehouse");
        using var unknown = ApiUser.WithToken(hub, "nobody", "ct_" + new string('Q', 43));
        using var typo = ApiUser.WithToken(hub, "nobody", quality.Token[..^1] + (quality.Token[^1] == 'A' ? 'B' : 'A'));
        using var malformed = ApiUser.WithToken(hub, "nobody", "ct_" + quality.Token[3..20]);

        // The API with good, unknown, mistyped, malformed and (after the revocation) revoked tokens.
        foreach (var user in new[] { quality, pharmacist, leaver, unknown, typo, malformed })
        {
            (await user.Http.GetAsync("/v1/me")).Dispose();
            (await user.Http.PostAsJsonAsync("/v1/recalls/preview", new { scope = new { type = "lot", gtin = "09506000134352", lot = "L1" } })).Dispose();
            (await user.Http.PostAsJsonAsync("/v1/verify", new { scan = "(01)09506000134352(21)S1" })).Dispose();
        }

        Assert.True(hub.Service<UserAccounts>().Revoke("leo").IsSuccess);
        using var revoked = await leaver.Http.GetAsync("/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);

        // The web sign-in with good and bad tokens, then a page and sign-out.
        foreach (var token in new[] { quality.Token, typo.Token, unknown.Token, malformed.Token, leaver.Token, pharmacist.Token })
        {
            await SignInAndOutAsync(hub, token);
        }

        string[] tokens = [quality.Token, pharmacist.Token, leaver.Token, unknown.Token, typo.Token, malformed.Token];
        var secrets = tokens.SelectMany(token => new[] { token[3..], ApiToken.Hash(token)[..12] }).ToList();
        var lines = capture.Lines.ToList();
        var leaks = lines.Where(line => secrets.Any(secret => line.Contains(secret, StringComparison.OrdinalIgnoreCase))).ToList();

        // The capture works: the sign-ins, the refusals and the bearer failures are there, at every level down to Trace.
        Assert.Contains(lines, line => line.Contains("anna (Quality) signed in to the web UI", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Web sign-in refused", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("the token is unknown or revoked", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("Trace ", StringComparison.Ordinal));
        Assert.True(leaks.Count == 0, $"{leaks.Count} of {lines.Count} log lines hold a token or its hash:\n{string.Join('\n', leaks.Take(10))}");
    }

    private static async Task SignInAndOutAsync(RunningHub hub, string token)
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = hub.Http.BaseAddress };
        var csrf = Csrf(await client.GetStringAsync("/account/signin"));
        using var signIn = await client.PostAsync("/account/signin", new FormUrlEncodedContent([KeyValuePair.Create("Token", token), KeyValuePair.Create("__RequestVerificationToken", csrf)]));
        if (signIn.StatusCode == HttpStatusCode.Redirect)
        {
            var page = await client.GetStringAsync("/recalls");
            using var signOut = await client.PostAsync(SessionCookie.SignOutPath, new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", Csrf(page))]));
        }
    }

    private static string Csrf(string html)
    {
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, "no antiforgery field on the page");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>Every log call at every level as one line: level, category, message, structured values, scopes, exception.</summary>
    private sealed class LogCapture : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(LogCapture capture, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new System.Text.StringBuilder()
                    .Append(logLevel).Append(' ').Append(category).Append(": ").Append(formatter(state, exception));
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        line.Append(" |").Append(key).Append('=').Append(value);
                    }
                }

                capture._scopes.ForEachScope((scope, text) => text.Append(" |scope ").Append(scope), line);
                line.Append(exception);
                capture.Lines.Enqueue(line.ToString());
            }
        }
    }
}
