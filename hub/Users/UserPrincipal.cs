using System.Security.Claims;

namespace SupplyChain.Hub.Users;

/// <summary>
/// The claims a signed-in user carries, whatever the sign-in (bearer token today, a session cookie for the web UI later):
/// <see cref="ClaimTypes.Name"/> is the user name, <see cref="ClaimTypes.Role"/> the role's wire name, <see cref="SiteClaim"/>
/// the GLN of their site when they have one.
/// </summary>
internal static class UserPrincipal
{
    public const string SiteClaim = "coldtrace:site";

    public static ClaimsPrincipal Of(UserRecord user, string authenticationType)
    {
        List<Claim> claims = [new Claim(ClaimTypes.Name, user.Name.Value), new Claim(ClaimTypes.Role, UserRoles.Name(user.Role))];
        if (user.Site is { } site)
        {
            claims.Add(new Claim(SiteClaim, site.Value));
        }

        return new(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The GLN of the signed-in user's site, if they have one.</summary>
    public static string? Site(ClaimsPrincipal principal) => principal.FindFirst(SiteClaim)?.Value;

    /// <summary>The actor name logged with a decision: the signed-in user's name (endpoints that log require a user).</summary>
    public static string Actor(ClaimsPrincipal principal) =>
        principal.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? name
            : throw new InvalidOperationException("A decision endpoint ran without a signed-in user; its authorization policy is missing.");
}
