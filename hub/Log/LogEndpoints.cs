using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SupplyChain.Hub.Log;

/// <summary>The log's read API under <c>/v1/log</c>. Bad arguments get ProblemDetails with 400 or 404, never a 500.</summary>
internal static class LogEndpoints
{
    public static IEndpointRouteBuilder MapLogApi(this IEndpointRouteBuilder app)
    {
        var log = app.MapGroup("/v1/log").WithTags("Log");
        log.MapGet("/checkpoint", Checkpoint);
        log.MapGet("/key", (HubSigningKey key) => TypedResults.Text(key.VerifierKey + "\n", "text/plain; charset=utf-8"));
        log.MapGet("/entries/{index}", Entry);
        log.MapGet("/proof/inclusion", Inclusion);
        log.MapGet("/proof/inclusion-by-hash", InclusionByHash);
        log.MapGet("/proof/consistency", Consistency);
        log.MapGet("/proof/bundle/{index}", Bundle);
        return app;
    }

    internal static Results<ContentHttpResult, ProblemHttpResult> Checkpoint(LogReader log) =>
        log.Checkpoint is { } checkpoint
            ? TypedResults.Text(checkpoint.Note, "text/plain; charset=utf-8")
            : Problem(StatusCodes.Status503ServiceUnavailable, "No checkpoint yet", "The log has not signed its first checkpoint; retry in a second.");

    private static Results<Ok<EntryResponse>, ProblemHttpResult> Entry(string index, LogReader log)
    {
        if (!TryParseIndex(index, "index", out var i, out var problem))
        {
            return problem;
        }

        var entry = log.Entry(i);
        if (entry is null)
        {
            return Problem(StatusCodes.Status404NotFound, "No such entry", $"The log has no entry {i}.");
        }

        var kind = entry.Leaf.Length > 0 && Enum.IsDefined((LogLeafKind)entry.Leaf[0]) ? KindName((LogLeafKind)entry.Leaf[0]) : "unknown";
        return TypedResults.Ok(new EntryResponse(
            entry.Index,
            kind,
            Convert.ToBase64String(LogReader.LeafHash(entry)),
            Convert.ToBase64String(entry.Leaf.AsSpan(1)),
            entry.Index < log.Size));
    }

    private static Results<Ok<InclusionResponse>, ProblemHttpResult> Inclusion(string? index, string? size, LogReader log)
    {
        if (!TryParseIndex(index, "index", out var i, out var problem) || !TryResolveSize(size, log, out var n, out problem))
        {
            return problem;
        }

        if (i >= n)
        {
            return Problem(StatusCodes.Status400BadRequest, "Index outside the tree", $"index {i} is not below size {n}.");
        }

        var entry = log.Entry(i)!;
        return TypedResults.Ok(new InclusionResponse(i, n, Convert.ToBase64String(LogReader.LeafHash(entry)), Encode(log.InclusionProof(i, n))));
    }

    private static Results<Ok<InclusionResponse>, ProblemHttpResult> InclusionByHash(string? hash, string? size, LogReader log)
    {
        if (!TryParseHash(hash, out var leafHash, out var problem) || !TryResolveSize(size, log, out var n, out problem))
        {
            return problem;
        }

        if (log.IndexOfLeafHash(leafHash) is not { } i || i >= n)
        {
            return Problem(StatusCodes.Status404NotFound, "Leaf not in the tree", $"No leaf with that hash is in the tree of size {n}.");
        }

        return TypedResults.Ok(new InclusionResponse(i, n, Convert.ToBase64String(leafHash), Encode(log.InclusionProof(i, n))));
    }

    private static Results<Ok<ConsistencyResponse>, ProblemHttpResult> Consistency(string? old, string? @new, LogReader log)
    {
        if (!TryParseIndex(old, "old", out var size1, out var problem) || !TryResolveSize(@new, log, out var size2, out problem))
        {
            return problem;
        }

        if (size1 == 0 || size1 > size2)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad sizes", $"old must be between 1 and new ({size2}); got {size1}.");
        }

        return TypedResults.Ok(new ConsistencyResponse(size1, size2, Encode(log.ConsistencyProof(size1, size2))));
    }

    private static Results<ContentHttpResult, ProblemHttpResult> Bundle(string index, LogReader log)
    {
        if (!TryParseIndex(index, "index", out var i, out var problem))
        {
            return problem;
        }

        return log.ProofBundle(i) is { } bundle
            ? TypedResults.Text(bundle, "text/plain; charset=utf-8")
            : Problem(StatusCodes.Status404NotFound, "Not yet in the tree", $"Entry {i} is not covered by the latest checkpoint (size {log.Size}).");
    }

    private static bool TryParseIndex(string? text, string name, out long value, out ProblemHttpResult problem)
    {
        problem = null!;
        if (text is not null && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        value = 0;
        problem = Problem(StatusCodes.Status400BadRequest, $"Bad {name}", $"'{name}' must be a non-negative decimal integer.");
        return false;
    }

    // A size defaults to the latest checkpoint's and may not exceed it: proofs are only given for signed tree sizes or below.
    private static bool TryResolveSize(string? text, LogReader log, out long size, out ProblemHttpResult problem)
    {
        problem = null!;
        size = log.Size;
        if (text is not null && !TryParseIndex(text, "size", out size, out problem))
        {
            return false;
        }

        if (size > log.Size)
        {
            problem = Problem(StatusCodes.Status400BadRequest, "Size beyond the checkpoint", $"The latest checkpoint has size {log.Size}; asked for {size}.");
            return false;
        }

        if (size == 0)
        {
            problem = Problem(StatusCodes.Status400BadRequest, "Empty tree", "There is no proof in a tree of size 0.");
            return false;
        }

        return true;
    }

    private static bool TryParseHash(string? text, out byte[] hash, out ProblemHttpResult problem)
    {
        problem = null!;
        hash = [];
        if (text is not null)
        {
            var candidate = new byte[32];
            if ((Convert.TryFromBase64String(text, candidate, out var written) && written == 32)
                || (text.Length == 64 && TryFromHex(text, candidate)))
            {
                hash = candidate;
                return true;
            }
        }

        problem = Problem(StatusCodes.Status400BadRequest, "Bad hash", "'hash' must be a 32-byte leaf hash in base64 or hex.");
        return false;
    }

    private static bool TryFromHex(string text, byte[] destination) =>
        Convert.FromHexString(text, destination, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32;

    private static string[] Encode(List<byte[]> proof) => proof.ConvertAll(Convert.ToBase64String).ToArray();

    private static string KindName(LogLeafKind kind) => kind switch
    {
        LogLeafKind.DeviceEvent => "device-event",
        LogLeafKind.HubDecision => "hub-decision",
        _ => "unknown",
    };

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    internal sealed record EntryResponse(long Index, string Kind, string LeafHash, string Body, bool Integrated);

    internal sealed record InclusionResponse(long Index, long Size, string LeafHash, string[] Proof);

    internal sealed record ConsistencyResponse(long Old, long New, string[] Proof);
}
