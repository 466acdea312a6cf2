using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using SupplyChain.Hub.Web;

namespace SupplyChain.Hub.Users;

/// <summary>
/// The web UI's session: a cookie issued by the sign-in page after <see cref="TokenLookup"/> accepted a user's API token,
/// carrying the same claims as a bearer token (<see cref="UserPrincipal"/>), never the token itself. HttpOnly,
/// <c>SameSite=Strict</c>, <c>Secure</c> when the request was HTTPS, sliding expiry (<see cref="WebOptions.SessionHours"/>).
/// Every request re-reads the user, so a revoked user or a changed role ends the session at once.
/// </summary>
internal static class SessionCookie
{
    public const string SchemeName = "Session";
    public const string CookieName = "coldtrace.session";
    public const string SignInPath = "/account/signin";
    public const string SignOutPath = "/account/signout";

    /// <summary>Signs <paramref name="user"/> in: the response carries a fresh session cookie.</summary>
    public static Task SignInAsync(HttpContext context, UserRecord user) =>
        context.SignInAsync(SchemeName, UserPrincipal.Of(user, SchemeName), new AuthenticationProperties { IsPersistent = false });

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(SchemeName);

    /// <summary>The cookie settings: named options so they can read <see cref="WebOptions"/>.</summary>
    internal sealed class Setup(IOptions<WebOptions> web) : IConfigureNamedOptions<CookieAuthenticationOptions>
    {
        public void Configure(string? name, CookieAuthenticationOptions options)
        {
            if (name != SchemeName)
            {
                return;
            }

            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(web.Value.SessionHours);
            options.SlidingExpiration = true;
            options.LoginPath = SignInPath;
            options.LogoutPath = SignOutPath;
            options.ReturnUrlParameter = "ReturnUrl";
            options.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = ValidateAsync,
                // A page the role may not see: 403 (with the status-code page), not a redirect loop to sign-in.
                OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                },
            };
        }

        public void Configure(CookieAuthenticationOptions options) => Configure(Options.DefaultName, options);
    }

    /// <summary>The session holds only while its user is active and keeps the role and site it signed in with.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<IUserStore>();
        var name = context.Principal?.FindFirst(ClaimTypes.Name)?.Value;
        var role = context.Principal?.FindFirst(ClaimTypes.Role)?.Value;
        if (UserName.TryParse(name, out var userName, out _)
            && users.Find(userName) is { IsActive: true } user
            && string.Equals(UserRoles.Name(user.Role), role, StringComparison.Ordinal)
            && string.Equals(user.Site?.Value, UserPrincipal.Site(context.Principal!), StringComparison.Ordinal))
        {
            return;
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(SchemeName);
    }
}
