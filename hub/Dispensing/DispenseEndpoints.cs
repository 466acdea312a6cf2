using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Recalls;
using SupplyChain.Hub.Users;
using SupplyChain.Hub.Verification;
using SupplyChain.Hub.Web;

namespace SupplyChain.Hub.Dispensing;

/// <summary>
/// <c>POST /v1/dispense</c> and <c>POST /v1/dispense/undo</c> with <c>{"code": "…"}</c> (docs/API.md "Dispensing"):
/// pharmacists only, at their own pharmacy. 200 when done; 409 ProblemDetails with the rules' <c>reasons</c> when
/// refused (the refused request is logged all the same, at <c>index</c>).
/// </summary>
internal static class DispenseEndpoints
{
    public static IEndpointRouteBuilder MapDispenseApi(this IEndpointRouteBuilder app)
    {
        var dispense = app.MapGroup("/v1/dispense").WithTags("Dispensing")
            .RequireAuthorization(UserPolicies.Pharmacist)
            .RequireRateLimiting(RateLimits.Verify);
        dispense.MapPost("/", (CodeRequest? request, ClaimsPrincipal user, DispenseDesk desk, TimeProvider time, CancellationToken cancellationToken) =>
            DecideAsync(request, user, time, (pack, actor) => desk.DispenseAsync(pack, actor, cancellationToken)));
        dispense.MapPost("/undo", (CodeRequest? request, ClaimsPrincipal user, DispenseDesk desk, TimeProvider time, CancellationToken cancellationToken) =>
            DecideAsync(request, user, time, (pack, actor) => desk.UndoAsync(pack, actor, cancellationToken)));
        return app;
    }

    internal sealed record CodeRequest(string? Code);

    internal sealed record DispenseResponse(long Index, VerificationResponse Pack);

    private static async Task<Results<Ok<DispenseResponse>, ProblemHttpResult>> DecideAsync(
        CodeRequest? request,
        ClaimsPrincipal user,
        TimeProvider time,
        Func<PackKey, string, Task<(DispenseOutcome? Outcome, DecisionRefusal? Refusal)>> decide)
    {
        if (!TryPack(request?.Code, time.GetUtcNow(), out var pack, out var why))
        {
            return TypedResults.Problem(title: "Bad code", detail: why, statusCode: StatusCodes.Status400BadRequest);
        }

        var (outcome, refusal) = await decide(pack, UserPrincipal.Actor(user));
        if (refusal is not null)
        {
            return TypedResults.Problem(title: refusal.Title, detail: refusal.Detail, statusCode: refusal.Status);
        }

        if (!outcome!.Done)
        {
            return TypedResults.Problem(
                title: "Refused by the rules",
                detail: $"Not done: {string.Join(", ", outcome.Reasons)}. The request is logged at index {outcome.Index}.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["index"] = outcome.Index, ["reasons"] = outcome.Reasons });
        }

        return TypedResults.Ok(new DispenseResponse(outcome.Index, outcome.Pack));
    }

    /// <summary>A scan, HRI or Digital Link naming a GTIN (01) and a serial (21).</summary>
    public static bool TryPack(string? code, DateTimeOffset now, out PackKey pack, out string why)
    {
        pack = default;
        if (code is not { Length: > 0 })
        {
            why = "The body must be JSON {\"code\": \"<scan, (01)…(21)… or GS1 Digital Link>\"}.";
            return false;
        }

        var parsed = Gs1Parser.Parse(code, now);
        if (!parsed.IsSuccess)
        {
            why = $"{parsed.Error!.Code}: {parsed.Error.Message}";
            return false;
        }

        if (parsed.Value!.Gtin is not { } gtin || parsed.Value.Serial is not { } serial)
        {
            why = "The code must carry a GTIN (01) and a serial (21).";
            return false;
        }

        pack = new PackKey(gtin, serial);
        why = string.Empty;
        return true;
    }
}
