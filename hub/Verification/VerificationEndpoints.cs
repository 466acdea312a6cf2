using Microsoft.AspNetCore.Http.HttpResults;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;

namespace SupplyChain.Hub.Verification;

/// <summary>
/// Pack verification under <c>/v1</c> (DESIGN §6 "Verification", docs/API.md). Bad input gets ProblemDetails 400; an
/// unknown serial is an answer (<c>verified: false</c>), not an error. No authorization yet (it comes with the roles).
/// </summary>
internal static class VerificationEndpoints
{
    public static IEndpointRouteBuilder MapVerificationApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Verification");
        v1.MapPost("/verify", VerifyScan).RequireRateLimiting(Web.RateLimits.Verify);
        v1.MapGet("/packs/{gtin}/{serial}/verification", VerifyPack);
        return app;
    }

    internal sealed record ScanRequest(string? Scan, string? Site);

    private static Results<Ok<VerificationResponse>, ProblemHttpResult> VerifyScan(ScanRequest? request, ScanVerifier verifier)
    {
        if (request?.Scan is not { Length: > 0 })
        {
            return Problem("No scan", "The body must be JSON {\"scan\": \"<raw scan data>\", \"site\": \"<gln, optional>\"}.");
        }

        if (!TrySite(request.Site, out var site, out var problem))
        {
            return problem;
        }

        var outcome = verifier.Verify(request.Scan, site);
        return outcome.Answer is { } answer ? TypedResults.Ok(answer) : Problem(outcome.Title!, outcome.Detail!);
    }

    private static Results<Ok<VerificationResponse>, ProblemHttpResult> VerifyPack(
        string gtin, string serial, string? lot, string? expiry, string? site, ScanVerifier verifier, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (!Gtin.TryParse(gtin, out var parsedGtin, out var reason))
        {
            return Problem("Bad GTIN", reason);
        }

        if (!Serial.TryParse(serial, out var parsedSerial, out reason))
        {
            return Problem("Bad serial", reason);
        }

        Lot? parsedLot = null;
        if (lot is not null)
        {
            if (!Lot.TryParse(lot, out var value, out reason))
            {
                return Problem("Bad lot", reason);
            }

            parsedLot = value;
        }

        Expiry? parsedExpiry = null;
        if (expiry is not null)
        {
            if (!Expiry.TryParse(expiry, now, out var value, out reason))
            {
                return Problem("Bad expiry", $"expiry must be YYMMDD (GS1 AI 17): {reason}");
            }

            parsedExpiry = value;
        }

        if (!TrySite(site, out var parsedSite, out var problem))
        {
            return problem;
        }

        return TypedResults.Ok(verifier.Answer(new PackKey(parsedGtin, parsedSerial), parsedLot, parsedExpiry, parsedSite, now));
    }

    private static bool TrySite(string? text, out Gln? site, out ProblemHttpResult problem)
    {
        site = null;
        problem = null!;
        if (text is null)
        {
            return true;
        }

        if (!Gln.TryParse(text, out var gln, out var reason))
        {
            problem = Problem("Bad site", $"site must be a GLN: {reason}");
            return false;
        }

        site = gln;
        return true;
    }

    private static ProblemHttpResult Problem(string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}
