using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace SupplyChain.Hub.Users;

/// <summary>
/// <c>Authorization: Bearer ct_…</c> (RFC 6750 §2.1) against the user store. No header: anonymous (open endpoints stay
/// open). A malformed, unknown or revoked token fails authentication, so an endpoint that needs a user answers 401 with
/// <c>WWW-Authenticate: Bearer error="invalid_token"</c> (RFC 6750 §3); a user without the role gets 403. Both as
/// ProblemDetails.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IUserStore users,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        // RFC 6750 §2.1: the scheme is case-insensitive, one space, then the token.
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("only Bearer tokens are accepted"));
        }

        if (!TokenLookup.TryFindActive(users, header.AsSpan(7).Trim(), out var user, out var reason))
        {
            return Task.FromResult(AuthenticateResult.Fail(reason));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(UserPrincipal.Of(user, SchemeName), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null
            ? "Bearer realm=\"coldtrace\""
            : "Bearer realm=\"coldtrace\", error=\"invalid_token\"";
        await WriteProblemAsync(
            StatusCodes.Status401Unauthorized,
            "Sign-in required",
            result.Failure is { } failure
                ? $"Bad bearer token: {failure.Message}."
                : "This endpoint needs a user: send Authorization: Bearer <token> (issued by `coldtrace-hub users add`).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.FindFirst(ClaimTypes.Role)?.Value ?? "none";
        return WriteProblemAsync(StatusCodes.Status403Forbidden, "Not allowed for this role", $"The role '{role}' may not do this.");
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
