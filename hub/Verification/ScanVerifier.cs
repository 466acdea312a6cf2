using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Verification;

/// <summary>A verification answer, or why the request could not be answered (a ProblemDetails title and detail).</summary>
internal sealed record ScanOutcome(VerificationResponse? Answer, string? Title, string? Detail)
{
    public static ScanOutcome Problem(string title, string detail) => new(null, title, detail);
}

/// <summary>
/// Verifies one raw scan at a site (DESIGN §6 "Verification"): the same answer for <c>POST /v1/verify</c> and for a
/// device asking over MQTT (PROTOCOL.md §5.7). An unknown serial is an answer (<c>verified: false</c>), not a problem.
/// </summary>
internal sealed class ScanVerifier(CustodyState custody, LogReader log, HubSigningKey key, TimeProvider time)
{
    /// <summary>Verifies a scan; <paramref name="options"/> are the parser's leniencies (standard input only by default).</summary>
    public ScanOutcome Verify(string? scanText, Gln? site, Gs1ParserOptions? options = null)
    {
        var now = time.GetUtcNow();
        if (scanText is not { Length: > 0 } text)
        {
            return ScanOutcome.Problem("No scan", "The body must be JSON {\"scan\": \"<raw scan data>\", \"site\": \"<gln, optional>\"}.");
        }

        var parsed = Gs1Parser.Parse(text, now, options);
        if (!parsed.IsSuccess)
        {
            return ScanOutcome.Problem("Bad scan", $"{parsed.Error!.Code}: {parsed.Error.Message}");
        }

        var scan = parsed.Value!;
        if (scan.Gtin is not { } gtin || scan.Serial is not { } serial)
        {
            return ScanOutcome.Problem("Not a serialized pack", "The scan must carry a GTIN (01) and a serial (21).");
        }

        return new ScanOutcome(Answer(new PackKey(gtin, serial), scan.Lot, scan.Expiry, site, now), null, null);
    }

    public VerificationResponse Answer(PackKey pack, Lot? lot, Expiry? expiry, Gln? site, DateTimeOffset now)
    {
        var (answer, entries) = custody.Verify(pack, lot, expiry, site, now);
        var proofs = new List<ProofView>(entries.Count);
        foreach (var entry in entries)
        {
            var bundle = log.ProofBundle(entry.Index);
            var kind = entry.Kind == LogLeafKind.HubDecision ? "hub_decision" : "device_event";
            proofs.Add(new ProofView(entry.Index, kind, Convert.ToBase64String(entry.LeafHash), bundle is null, bundle));
        }

        return VerificationResponse.From(answer, key.VerifierKey, proofs);
    }
}
