using System.Security.Claims;

namespace SupplyChain.Hub.Users;

/// <summary>
/// The claims a signed-in user carries, whatever the sign-in (bearer token today, a session cookie for the web UI later):
/// <see cref="ClaimTypes.Name"/> is the user name, <see cref="ClaimTypes.Role"/> the role's wire name.
/// </summary>
internal static class UserPrincipal
{
    public static ClaimsPrincipal Of(UserRecord user, string authenticationType) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name.Value), new Claim(ClaimTypes.Role, UserRoles.Name(user.Role))],
            authenticationType,
            ClaimTypes.Name,
            ClaimTypes.Role));

    /// <summary>The actor name logged with a decision: the signed-in user's name (endpoints that log require a user).</summary>
    public static string Actor(ClaimsPrincipal principal) =>
        principal.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? name
            : throw new InvalidOperationException("A decision endpoint ran without a signed-in user; its authorization policy is missing.");
}
