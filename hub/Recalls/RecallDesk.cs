using System.Security.Cryptography;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Recalls;

/// <summary>Why a quality decision was refused, as the API answers it (status, title, detail).</summary>
internal sealed record DecisionRefusal(int Status, string Title, string Detail);

/// <summary>A decision made: its log index and the state it led to.</summary>
internal sealed record DecisionMade<T>(long Index, T Result);

/// <summary>
/// The quality desk (DESIGN §6 "Recalls", PROTOCOL.md §4.6): opens and closes recalls and releases packs from
/// quarantine. Each decision is sequenced into the log as a hub-decision leaf naming the signed-in person, applied to the
/// custody state through the log like every other entry, and then the recall lists of the affected sites are published.
/// </summary>
internal sealed partial class RecallDesk(
    LogSequencer log,
    CustodyState custody,
    RecallLedger ledger,
    RecallListPublisher lists,
    TimeProvider time,
    ILogger<RecallDesk> logger) : IDisposable
{
    public const int MaxReasonLength = 2000;

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<(DecisionMade<RecallView>? Made, DecisionRefusal? Refusal)> OpenAsync(
        RecallScope scope, string? reason, string actor, CancellationToken cancellationToken)
    {
        if (BadReason(reason) is { } refusal)
        {
            return (null, refusal);
        }

        await _gate.WaitAsync(cancellationToken);
        (long Index, RecallView View) opened;
        try
        {
            var now = time.GetUtcNow();
            var id = NewId(now);
            var body = QualityDecision.Opened(id, scope, reason!, actor, now).Encode();
            if (body.Length > LogSequencer.MaxBodySize)
            {
                return (null, new DecisionRefusal(StatusCodes.Status400BadRequest, "Scope too large", "The scope does not fit one log leaf; split the recall."));
            }

            var index = (await log.AppendAsync(LogLeafKind.HubDecision, body, cancellationToken)).Index;
            if (Red(index) is { } red)
            {
                return (null, red);
            }

            opened = (index, custody.Read((rules, _) => RecallViews.View(rules, ledger, ledger.Find(id)!, now, withPacks: true)));
        }
        finally
        {
            _gate.Release();
        }

        LogOpened(opened.View.Id, actor, opened.Index, opened.View.Progress.Packs);
        await lists.PublishAsync(SitesOf(opened.View), cancellationToken);
        return (new DecisionMade<RecallView>(opened.Index, opened.View), null);
    }

    public async Task<(DecisionMade<RecallView>? Made, DecisionRefusal? Refusal)> CloseAsync(
        string id, string? reason, string actor, CancellationToken cancellationToken)
    {
        if (BadReason(reason) is { } refusal)
        {
            return (null, refusal);
        }

        await _gate.WaitAsync(cancellationToken);
        (long Index, RecallView View) closed;
        try
        {
            switch (ledger.Find(id))
            {
                case null:
                    return (null, new DecisionRefusal(StatusCodes.Status404NotFound, "No such recall", $"There is no recall '{id}'."));
                case { IsOpen: false }:
                    return (null, new DecisionRefusal(StatusCodes.Status409Conflict, "Recall already closed", $"Recall '{id}' is closed."));
            }

            var now = time.GetUtcNow();
            var index = (await log.AppendAsync(LogLeafKind.HubDecision, QualityDecision.Closed(id, reason!, actor, now).Encode(), cancellationToken)).Index;
            if (Red(index) is { } red)
            {
                return (null, red);
            }

            closed = (index, custody.Read((rules, _) => RecallViews.View(rules, ledger, ledger.Find(id)!, now, withPacks: true)));
        }
        finally
        {
            _gate.Release();
        }

        LogClosed(id, actor, closed.Index);
        await lists.PublishAsync(SitesOf(closed.View), cancellationToken);
        return (new DecisionMade<RecallView>(closed.Index, closed.View), null);
    }

    /// <summary>Releases packs after review: compromise, suspect and broken custody are cleared (PROTOCOL.md §6.3).</summary>
    public async Task<(DecisionMade<IReadOnlyList<ReleasedPack>>? Made, DecisionRefusal? Refusal)> ReleaseAsync(
        IReadOnlyList<PackKey> packs, string? reason, string actor, CancellationToken cancellationToken)
    {
        if (BadReason(reason) is { } refusal)
        {
            return (null, refusal);
        }

        var unknown = custody.Read((rules, _) => packs.Where(p => rules.Find(p) is null).ToList());
        if (unknown.Count > 0)
        {
            return (null, new DecisionRefusal(
                StatusCodes.Status400BadRequest, "Unknown pack", $"Never commissioned: {string.Join(", ", unknown.Select(p => p.ToString()))}; nothing was released."));
        }

        var now = time.GetUtcNow();
        var body = QualityDecision.Released(packs, reason!, actor, now).Encode();
        if (body.Length > LogSequencer.MaxBodySize)
        {
            return (null, new DecisionRefusal(StatusCodes.Status400BadRequest, "Too many packs", "The packs do not fit one log leaf; release them in parts."));
        }

        var index = (await log.AppendAsync(LogLeafKind.HubDecision, body, cancellationToken)).Index;
        if (Red(index) is { } red)
        {
            return (null, red);
        }

        var released = custody.Read((rules, _) => packs.Order().Select(p =>
        {
            var answer = rules.Verify(p, null, null, null, now);
            return new ReleasedPack(p.ToDigitalLink(), answer.Verified, Verification.VerificationResponse.Code(answer.Status));
        }).ToList());
        LogReleased(packs.Count, actor, index);
        return (new DecisionMade<IReadOnlyList<ReleasedPack>>(index, released), null);
    }

    public void Dispose() => _gate.Dispose();

    private static DecisionRefusal? BadReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason)
            ? new DecisionRefusal(StatusCodes.Status400BadRequest, "Reason required", "Every decision is logged with the reason for it: send a non-empty reason.")
            : reason.Length > MaxReasonLength
                ? new DecisionRefusal(StatusCodes.Status400BadRequest, "Reason too long", $"At most {MaxReasonLength} characters.")
                : null;

    /// <summary>The rules' verdict on the decision just logged; red would mean this desk let a bad decision through.</summary>
    private DecisionRefusal? Red(long index) =>
        custody.VerdictAt(index) is { Verdict: Verdict.Red } verdict
            ? new DecisionRefusal(StatusCodes.Status409Conflict, "Decision refused by the rules", $"Logged at index {index} with a red verdict: {verdict.Detail}.")
            : null;

    /// <summary><c>R-yyyyMMdd-XXXXXX</c>: the day it was opened and 24 random bits, unused so far.</summary>
    private string NewId(DateTimeOffset now)
    {
        while (true)
        {
            var id = $"R-{now.UtcDateTime:yyyyMMdd}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(3))}";
            if (!ledger.Exists(id))
            {
                return id;
            }
        }
    }

    private static IEnumerable<Gln> SitesOf(RecallView view) =>
        (view.Sites ?? []).SelectMany(g => g.Packs).SelectMany(p => p.ShippedTo is { } to ? new[] { p.Custodian, to } : [p.Custodian])
            .Distinct(StringComparer.Ordinal)
            .Select(s => Gln.TryParse(s, out var gln, out _) ? gln : (Gln?)null)
            .OfType<Gln>();

    [LoggerMessage(Level = LogLevel.Information, Message = "Recall {RecallId} opened by {Actor} at log index {Index}: {Packs} packs")]
    private partial void LogOpened(string recallId, string actor, long index, int packs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recall {RecallId} closed by {Actor} at log index {Index}")]
    private partial void LogClosed(string recallId, string actor, long index);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Packs} packs released from quarantine by {Actor} at log index {Index}")]
    private partial void LogReleased(int packs, string actor, long index);
}

/// <summary>A released pack and its verification right after the release.</summary>
internal sealed record ReleasedPack(string Pack, bool Verified, string Status);
