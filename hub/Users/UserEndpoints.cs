using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SupplyChain.Hub.Users;

/// <summary><c>GET /v1/me</c>: who the token belongs to (docs/API.md "Users and roles").</summary>
internal static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1").WithTags("Users").MapGet("/me", Me).RequireAuthorization(UserPolicies.SignedIn);
        return app;
    }

    internal sealed record MeResponse(string Name, string Role, string? Site);

    private static Ok<MeResponse> Me(ClaimsPrincipal user) =>
        TypedResults.Ok(new MeResponse(UserPrincipal.Actor(user), user.FindFirst(ClaimTypes.Role)?.Value ?? string.Empty, UserPrincipal.Site(user)));
}
