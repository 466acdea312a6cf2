using Microsoft.AspNetCore.Http.HttpResults;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Log;

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
        v1.MapPost("/verify", VerifyScan);
        v1.MapGet("/packs/{gtin}/{serial}/verification", VerifyPack);
        return app;
    }

    internal sealed record ScanRequest(string? Scan, string? Site);

    private static Results<Ok<VerificationResponse>, ProblemHttpResult> VerifyScan(
        ScanRequest? request, CustodyState custody, LogReader log, HubSigningKey key, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (request?.Scan is not { Length: > 0 } text)
        {
            return Problem("No scan", "The body must be JSON {\"scan\": \"<raw scan data>\", \"site\": \"<gln, optional>\"}.");
        }

        var parsed = Gs1Parser.Parse(text, now);
        if (!parsed.IsSuccess)
        {
            return Problem("Bad scan", $"{parsed.Error!.Code}: {parsed.Error.Message}");
        }

        var scan = parsed.Value!;
        if (scan.Gtin is not { } gtin || scan.Serial is not { } serial)
        {
            return Problem("Not a serialized pack", "The scan must carry a GTIN (01) and a serial (21).");
        }

        if (!TrySite(request.Site, out var site, out var problem))
        {
            return problem;
        }

        return TypedResults.Ok(Answer(custody, log, key, new PackKey(gtin, serial), scan.Lot, scan.Expiry, site, now));
    }

    private static Results<Ok<VerificationResponse>, ProblemHttpResult> VerifyPack(
        string gtin, string serial, string? lot, string? expiry, string? site, CustodyState custody, LogReader log, HubSigningKey key, TimeProvider time)
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

        return TypedResults.Ok(Answer(custody, log, key, new PackKey(parsedGtin, parsedSerial), parsedLot, parsedExpiry, parsedSite, now));
    }

    private static VerificationResponse Answer(
        CustodyState custody, LogReader log, HubSigningKey key, PackKey pack, Lot? lot, Expiry? expiry, Gln? site, DateTimeOffset now)
    {
        var (answer, entries) = custody.Verify(pack, lot, expiry, site, now);
        var proofs = new List<ProofView>(entries.Count);
        foreach (var index in entries)
        {
            var entry = log.Entry(index)!;
            var bundle = log.ProofBundle(index);
            proofs.Add(new ProofView(index, "device_event", Convert.ToBase64String(LogReader.LeafHash(entry)), bundle is null, bundle));
        }

        return VerificationResponse.From(answer, key.VerifierKey, proofs);
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
