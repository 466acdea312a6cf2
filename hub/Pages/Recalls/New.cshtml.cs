using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Rules;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Recalls;
using SupplyChain.Hub.Users;
using SupplyChain.Hub.Web;

namespace SupplyChain.Hub.Pages.Recalls;

/// <summary>
/// <c>/recalls/new</c>: choose a scope (lot, named packs, container, or exposure at a place in a time window), preview the
/// packs it covers grouped by who holds them (nothing logged; quality and auditors), then open the recall with a reason
/// (quality only; a hub decision naming the person, through <see cref="RecallDesk"/>).
/// </summary>
[Authorize(Policy = UserPolicies.RecallPreview)]
internal sealed partial class NewModel(
    CustodyState custody,
    RecallLedger ledger,
    RecallDesk desk,
    IDeviceRegistry devices,
    TimeProvider time,
    ILogger<NewModel> logger) : PageModel
{
    [BindProperty]
    public string Type { get; set; } = RecallScopeWire.Lot;

    [BindProperty]
    public string? Gtin { get; set; }

    [BindProperty]
    public string? Lot { get; set; }

    /// <summary>Named packs, one per line: scans, <c>(01)…(21)…</c>, Digital Link URIs, or bare serials of <see cref="Gtin"/>.</summary>
    [BindProperty]
    public string? Packs { get; set; }

    [BindProperty]
    public string? Sscc { get; set; }

    [BindProperty]
    public string? Location { get; set; }

    /// <summary>Exposure window start, UTC, as a <c>datetime-local</c> input sends it (<c>2026-03-01T08:00</c>).</summary>
    [BindProperty]
    public string? From { get; set; }

    [BindProperty]
    public string? To { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public RecallPreview? Preview { get; private set; }

    public string? Problem { get; private set; }

    public bool CanOpen => User.IsInRole(UserRoles.Name(UserRole.Quality));

    public SiteLabels Sites => field ??= SiteLabels.From(devices);

    public IActionResult OnPostPreview()
    {
        if (TryScope(out var scope))
        {
            var now = time.GetUtcNow();
            Preview = custody.Read((rules, applied) => RecallViews.Preview(rules, ledger, scope, applied, now));
            var actor = UserPrincipal.Actor(User);
            LogPreviewed(actor, Preview.Packs);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostOpenAsync(CancellationToken cancellationToken)
    {
        // Razor Pages ignore [Authorize] on handlers: opening is for quality only (403 through the session scheme).
        if (!CanOpen)
        {
            return Forbid();
        }

        if (!TryScope(out var scope))
        {
            return Page();
        }

        var (made, refusal) = await desk.OpenAsync(scope, Reason, UserPrincipal.Actor(User), cancellationToken);
        if (refusal is not null)
        {
            Problem = $"{refusal.Title}: {refusal.Detail}";
            return OnPostPreview();
        }

        return Redirect($"/recalls/{made!.Result.Id}");
    }

    private bool TryScope(out RecallScope scope)
    {
        var now = time.GetUtcNow();
        List<string> scans = [];
        List<string> serials = [];
        foreach (var line in (Packs ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // A bare serial (no AI, no URI) is a serial of the GTIN field; anything else is read as a GS1 code.
            (line.StartsWith('(') || line.Contains("://", StringComparison.Ordinal) || Gs1Parser.Parse(line, now).IsSuccess ? scans : serials).Add(line);
        }

        var request = new ScopeRequest(
            Type,
            Blank(Gtin),
            Blank(Lot),
            serials.Count > 0 ? serials : null,
            scans.Count > 0 ? scans : null,
            Type == RecallScopeWire.Container || (Type == RecallScopeWire.Exposure && Blank(Location) is null) ? Blank(Sscc) : null,
            Type == RecallScopeWire.Exposure ? Blank(Location) : null,
            Utc(From),
            Utc(To));
        if (!request.TryToScope(now, out scope, out var why))
        {
            Problem = $"Check the scope: {why}.";
            return false;
        }

        return true;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A <c>datetime-local</c> value is read as UTC (the page says so).</summary>
    private static string? Utc(string? local) => Blank(local) is { } text ? (text.Length == 16 ? text + ":00Z" : text.EndsWith('Z') ? text : text + "Z") : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} previewed a recall in the web UI: {Packs} packs")]
    private partial void LogPreviewed(string actor, int packs);
}
