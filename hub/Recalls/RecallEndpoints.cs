using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Recalls;

/// <summary>
/// Recalls and quarantine releases under <c>/v1</c> (docs/API.md "Recalls"). Opening, closing and releasing need the
/// quality role and are logged with the user's name; reading needs any signed-in user; previews quality or auditor.
/// </summary>
internal static class RecallEndpoints
{
    public static IEndpointRouteBuilder MapRecallApi(this IEndpointRouteBuilder app)
    {
        var recalls = app.MapGroup("/v1/recalls").WithTags("Recalls");
        recalls.MapPost("/preview", Preview).RequireAuthorization(UserPolicies.RecallPreview);
        recalls.MapPost("/", OpenAsync).RequireAuthorization(UserPolicies.Quality);
        recalls.MapGet("/", List).RequireAuthorization(UserPolicies.SignedIn);
        recalls.MapGet("/{id}", Get).RequireAuthorization(UserPolicies.SignedIn);
        recalls.MapGet("/{id}/packs.csv", Csv).RequireAuthorization(UserPolicies.SignedIn);
        recalls.MapPost("/{id}/close", CloseAsync).RequireAuthorization(UserPolicies.Quality);
        app.MapPost("/v1/quarantine/release", ReleaseAsync).WithTags("Recalls").RequireAuthorization(UserPolicies.Quality);
        return app;
    }

    internal sealed record PreviewRequest(ScopeRequest? Scope);

    internal sealed record OpenRequest(ScopeRequest? Scope, string? Reason);

    internal sealed record CloseRequest(string? Reason);

    internal sealed record ReleaseRequest(string? Gtin, IReadOnlyList<string>? Serials, IReadOnlyList<string>? Packs, string? Reason);

    internal sealed record OpenedResponse(string RecallId, long Index, RecallView Recall);

    internal sealed record ClosedResponse(string RecallId, long Index, RecallView Recall);

    internal sealed record ReleasedResponse(long Index, IReadOnlyList<ReleasedPack> Packs);

    internal sealed record RecallListResponse(IReadOnlyList<RecallView> Recalls);

    private static Results<Ok<RecallPreview>, ProblemHttpResult> Preview(PreviewRequest? request, CustodyState custody, RecallLedger ledger, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (!TryScope(request?.Scope, now, out var scope, out var problem))
        {
            return problem;
        }

        return TypedResults.Ok(custody.Read((rules, applied) => RecallViews.Preview(rules, ledger, scope, applied, now)));
    }

    private static async Task<Results<Created<OpenedResponse>, ProblemHttpResult>> OpenAsync(
        OpenRequest? request, ClaimsPrincipal user, RecallDesk desk, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TryScope(request?.Scope, time.GetUtcNow(), out var scope, out var problem))
        {
            return problem;
        }

        var (made, refusal) = await desk.OpenAsync(scope, request!.Reason, UserPrincipal.Actor(user), cancellationToken);
        if (refusal is not null)
        {
            return Problem(refusal);
        }

        return TypedResults.Created($"/v1/recalls/{made!.Result.Id}", new OpenedResponse(made.Result.Id, made.Index, made.Result));
    }

    private static Ok<RecallListResponse> List(CustodyState custody, RecallLedger ledger, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return TypedResults.Ok(new RecallListResponse(custody.Read((rules, _) =>
            ledger.List().Select(r => RecallViews.View(rules, ledger, r, now, withPacks: false)).ToList())));
    }

    private static Results<Ok<RecallView>, ProblemHttpResult> Get(string id, CustodyState custody, RecallLedger ledger, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var view = custody.Read((rules, _) => ledger.Find(id) is { } record ? RecallViews.View(rules, ledger, record, now, withPacks: true) : null);
        return view is null ? NoSuchRecall(id) : TypedResults.Ok(view);
    }

    /// <summary>RFC 4180 CSV, one row per affected pack.</summary>
    private static Results<FileContentHttpResult, ProblemHttpResult> Csv(string id, CustodyState custody, RecallLedger ledger, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var lines = custody.Read((rules, _) => ledger.Find(id) is { } record ? RecallViews.Lines(rules, ledger, record, now) : null);
        if (lines is null)
        {
            return NoSuchRecall(id);
        }

        return TypedResults.File(RecallCsv.Encode(id, lines), RecallCsv.ContentType, RecallCsv.FileName(id));
    }

    private static async Task<Results<Ok<ClosedResponse>, ProblemHttpResult>> CloseAsync(
        string id, CloseRequest? request, ClaimsPrincipal user, RecallDesk desk, CancellationToken cancellationToken)
    {
        var (made, refusal) = await desk.CloseAsync(id, request?.Reason, UserPrincipal.Actor(user), cancellationToken);
        return refusal is not null ? Problem(refusal) : TypedResults.Ok(new ClosedResponse(id, made!.Index, made.Result));
    }

    private static async Task<Results<Ok<ReleasedResponse>, ProblemHttpResult>> ReleaseAsync(
        ReleaseRequest? request, ClaimsPrincipal user, RecallDesk desk, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!PackInput.TryParse(request?.Gtin, request?.Serials, request?.Packs, time.GetUtcNow(), out var packs, out var why))
        {
            return BadRequest("Bad packs", why);
        }

        var (made, refusal) = await desk.ReleaseAsync(packs, request!.Reason, UserPrincipal.Actor(user), cancellationToken);
        return refusal is not null ? Problem(refusal) : TypedResults.Ok(new ReleasedResponse(made!.Index, made.Result));
    }

    private static bool TryScope(ScopeRequest? request, DateTimeOffset now, out Contracts.Rules.RecallScope scope, out ProblemHttpResult problem)
    {
        scope = null!;
        problem = null!;
        if (request is null)
        {
            problem = BadRequest("No scope", "The body must name a scope: {\"scope\": {\"type\": \"lot\", \"gtin\": \"…\", \"lot\": \"…\"}, …}.");
            return false;
        }

        if (!request.TryToScope(now, out scope, out var why))
        {
            problem = BadRequest("Bad scope", why);
            return false;
        }

        return true;
    }

    private static ProblemHttpResult NoSuchRecall(string id) =>
        TypedResults.Problem(title: "No such recall", detail: $"There is no recall '{id}'.", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    private static ProblemHttpResult Problem(DecisionRefusal refusal) =>
        TypedResults.Problem(title: refusal.Title, detail: refusal.Detail, statusCode: refusal.Status);
}
