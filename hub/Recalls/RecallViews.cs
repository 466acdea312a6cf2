using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Verification;

namespace SupplyChain.Hub.Recalls;

/// <summary>
/// A recall with its affected packs grouped by custodian (docs/API.md "Recalls"). <c>status</c> is <c>open</c> or
/// <c>closed</c>; a closed recall lists the packs it covered when it was closed, in their current state.
/// </summary>
internal sealed record RecallView(
    string Id,
    string Status,
    RecallScopeWire Scope,
    string Reason,
    string OpenedBy,
    string OpenedAt,
    long OpenedIndex,
    string? ClosedBy,
    string? ClosedAt,
    string? CloseReason,
    long? ClosedIndex,
    RecallProgress Progress,
    IReadOnlyList<SiteGroup>? Sites);

/// <summary>
/// Where a recall stands, counted over its packs: each is in exactly one of <c>quarantined</c> (held or in transit,
/// blocked), <c>returned</c>, <c>destroyed</c>, <c>dispensedBefore</c> (dispensed before the recall: patients to trace),
/// <c>stolen</c>. <c>dispensedAfter</c> counts packs someone tried to dispense after the recall (refused with a red
/// verdict; the pack may still have left an offline counter). <c>stillDispensable</c> counts packs that would verify at
/// their custodian; zero while the recall is open.
/// </summary>
internal sealed record RecallProgress(
    int Packs,
    int Sites,
    int Quarantined,
    int Returned,
    int Destroyed,
    int DispensedBefore,
    int Stolen,
    int DispensedAfter,
    int StillDispensable);

/// <summary>The affected packs one party holds (a pack in transit is held by its sender until received).</summary>
internal sealed record SiteGroup(string Site, string SiteUri, int Count, IReadOnlyList<PackLine> Packs);

/// <summary>One affected pack; <c>progress</c> is its <see cref="RecallProgress"/> bucket.</summary>
internal sealed record PackLine(
    string Pack,
    string Gtin,
    string Serial,
    string Lot,
    string Expiry,
    string Status,
    string Lifecycle,
    string Progress,
    string Custodian,
    string? ShippedTo,
    string? Location,
    int DispenseAttemptsAfter,
    bool Dispensable);

/// <summary>What a scope would cover now (nothing logged): the packs grouped like a recall, and the sites that would be told.</summary>
internal sealed record RecallPreview(RecallScopeWire Scope, int Packs, IReadOnlyList<string> SitesToNotify, IReadOnlyList<SiteGroup> Sites);

internal static class RecallViews
{
    public const string Quarantined = "quarantined";
    public const string Returned = "returned";
    public const string Destroyed = "destroyed";
    public const string DispensedBefore = "dispensed_before";
    public const string Stolen = "stolen";

    public static RecallView View(CustodyRules rules, RecallLedger ledger, RecallRecord record, DateTimeOffset now, bool withPacks)
    {
        var keys = record.IsOpen ? rules.Impact(record.Opened.RecallId)?.Packs ?? [] : record.PacksAtClose;
        var lines = Lines(rules, ledger, keys, record.OpenedIndex, now);
        var progress = new RecallProgress(
            lines.Count,
            lines.Select(l => l.Custodian).Distinct(StringComparer.Ordinal).Count(),
            lines.Count(l => l.Progress == Quarantined),
            lines.Count(l => l.Progress == Returned),
            lines.Count(l => l.Progress == Destroyed),
            lines.Count(l => l.Progress == DispensedBefore),
            lines.Count(l => l.Progress == Stolen),
            lines.Count(l => l.DispenseAttemptsAfter > 0),
            lines.Count(l => l.Dispensable));
        return new RecallView(
            record.Opened.RecallId,
            record.IsOpen ? "open" : "closed",
            RecallScopeWire.Of(record.Opened.Scope),
            record.Opened.Reason,
            record.Opened.Actor,
            DeviceDecision.FormatTime(record.Opened.Time),
            record.OpenedIndex,
            record.Closed?.Actor,
            record.Closed is { } closed ? DeviceDecision.FormatTime(closed.Time) : null,
            record.Closed?.Reason,
            record.ClosedIndex,
            progress,
            withPacks ? Group(lines) : null);
    }

    public static RecallPreview Preview(CustodyRules rules, RecallLedger ledger, RecallScope scope, long applied, DateTimeOffset now)
    {
        var keys = rules.Select(scope);
        var lines = Lines(rules, ledger, keys, applied, now);
        var sites = Contracts.Rules.Recalls.SitesOf(keys.Select(k => rules.Find(k)!));
        return new RecallPreview(RecallScopeWire.Of(scope), lines.Count, [.. sites.Select(s => s.Value)], Group(lines));
    }

    /// <summary>Every pack line of a recall, in pack order: the CSV export.</summary>
    public static IReadOnlyList<PackLine> Lines(CustodyRules rules, RecallLedger ledger, RecallRecord record, DateTimeOffset now) =>
        Lines(rules, ledger, record.IsOpen ? rules.Impact(record.Opened.RecallId)?.Packs ?? [] : record.PacksAtClose, record.OpenedIndex, now);

    private static List<PackLine> Lines(CustodyRules rules, RecallLedger ledger, IEnumerable<PackKey> keys, long since, DateTimeOffset now)
    {
        var lines = new List<PackLine>();
        foreach (var key in keys.Order())
        {
            if (rules.Find(key) is not { } state)
            {
                continue;
            }

            var marks = ledger.MarksAfter(key, since);
            var answer = rules.Verify(key, null, null, state.Custodian, now);
            lines.Add(new PackLine(
                key.ToDigitalLink(),
                key.Gtin.Value,
                key.Serial.Value,
                state.Lot,
                state.Expiry.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                VerificationResponse.Code(state.StatusAt(now)),
                VerificationResponse.Code(state.Lifecycle),
                ProgressOf(state, marks),
                state.Custodian.Value,
                state.ShippedTo?.Value,
                state.Presence.Count > 0 && state.Presence[^1].Place is { } place ? VerificationResponse.PlaceUri(place) : null,
                marks.Count(m => m.Kind == PackMarkKind.DispenseRefused),
                answer.Verified));
        }

        return lines;
    }

    private static string ProgressOf(PackState state, IReadOnlyList<PackMark> marks) => state.Lifecycle switch
    {
        PackLifecycle.Destroyed => Destroyed,
        PackLifecycle.Stolen => Stolen,
        PackLifecycle.Dispensed => DispensedBefore,
        _ when (state.Lifecycle == PackLifecycle.InTransit && state.IsReturn) || marks.Any(m => m.Kind == PackMarkKind.Returned) => Returned,
        _ => Quarantined,
    };

    private static List<SiteGroup> Group(List<PackLine> lines) =>
        [.. lines.GroupBy(l => l.Custodian, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SiteGroup(g.Key, VerificationResponse.SiteUri(g.Key), g.Count(), [.. g]))];
}
