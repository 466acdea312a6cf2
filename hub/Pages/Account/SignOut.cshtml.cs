using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Pages.Account;

/// <summary><c>/account/signout</c>: a POST (with the antiforgery token) ends the session; a GET only asks.</summary>
internal sealed partial class SignOutModel(ILogger<SignOutModel> logger) : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        var actor = User.Identity?.Name ?? "-";
        await SessionCookie.SignOutAsync(HttpContext);
        LogSignedOut(actor);
        return Redirect(SessionCookie.SignInPath);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} signed out of the web UI")]
    private partial void LogSignedOut(string actor);
}
