using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using SupplyChain.Hub.Users;
using SupplyChain.Hub.Web;

namespace SupplyChain.Hub.Pages.Account;

/// <summary>
/// <c>/account/signin</c>: a user's API token (the one <c>users add</c> printed) opens a session cookie with the same
/// claims (<see cref="SessionCookie"/>). Posts are rate-limited per client address (<see cref="RateLimits.SignIn"/>);
/// the token itself is never logged or kept.
/// </summary>
[EnableRateLimiting(RateLimits.SignIn)]
internal sealed partial class SignInModel(IUserStore users, ILogger<SignInModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Token { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() =>
        User.Identity is { IsAuthenticated: true } ? LocalRedirect(Destination()) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!TokenLookup.TryFindActive(users, (Token ?? string.Empty).AsSpan().Trim(), out var user, out var reason))
        {
            LogRefused(address, reason);
            Error = "That token was not accepted: it is mistyped, unknown or revoked.";
            Token = null;
            return Page();
        }

        await SessionCookie.SignInAsync(HttpContext, user);
        LogSignedIn(user.Name.Value, user.Role, address);
        return LocalRedirect(Destination());
    }

    /// <summary>Only a local path (<c>/recalls/…</c>) is followed after sign-in; anything else goes to the verify page.</summary>
    private string Destination() => ReturnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) ? url : "/verify";

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} ({Role}) signed in to the web UI from {Address}")]
    private partial void LogSignedIn(string actor, UserRole role, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web sign-in refused from {Address}: {Reason}")]
    private partial void LogRefused(string address, string reason);
}
