using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SupplyChain.Hub.Custody;
using SupplyChain.Hub.Devices;
using SupplyChain.Hub.Recalls;
using SupplyChain.Hub.Users;
using SupplyChain.Hub.Web;

namespace SupplyChain.Hub.Pages.Recalls;

/// <summary>
/// <c>/recalls/{id}</c>: one recall's progress (quarantined, returned, still dispensable, which must be zero), its packs
/// grouped by who holds them, the CSV export (the same file as <c>GET /v1/recalls/{id}/packs.csv</c>) and, for quality,
/// closing it with a reason.
/// </summary>
internal sealed partial class DetailsModel(
    CustodyState custody,
    RecallLedger ledger,
    RecallDesk desk,
    IDeviceRegistry devices,
    TimeProvider time,
    ILogger<DetailsModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    [BindProperty]
    public string? Reason { get; set; }

    public RecallView? Recall { get; private set; }

    public string? Problem { get; private set; }

    public bool CanClose => User.IsInRole(UserRoles.Name(UserRole.Quality));

    public SiteLabels Sites => field ??= SiteLabels.From(devices);

    public IActionResult OnGet() => Load() ? Page() : NotFound();

    public IActionResult OnGetCsv()
    {
        var now = time.GetUtcNow();
        var lines = custody.Read((rules, _) => ledger.Find(Id) is { } record ? RecallViews.Lines(rules, ledger, record, now) : null);
        if (lines is null)
        {
            return NotFound();
        }

        var actor = UserPrincipal.Actor(User);
        LogExported(actor, Id, lines.Count);
        return File(RecallCsv.Encode(Id, lines), RecallCsv.ContentType, RecallCsv.FileName(Id));
    }

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken cancellationToken)
    {
        // Razor Pages ignore [Authorize] on handlers: closing is for quality only (403 through the session scheme).
        if (!CanClose)
        {
            return Forbid();
        }

        var (_, refusal) = await desk.CloseAsync(Id, Reason, UserPrincipal.Actor(User), cancellationToken);
        if (refusal is { Status: StatusCodes.Status404NotFound })
        {
            return NotFound();
        }

        if (refusal is not null)
        {
            Problem = $"{refusal.Title}: {refusal.Detail}";
        }

        // A refusal for another reason (no reason given) can come before the lookup: an unknown id is still a 404, not
        // a page without its recall (that was a 500, found by RoleTableTests).
        return Load() ? Page() : NotFound();
    }

    private bool Load()
    {
        var now = time.GetUtcNow();
        Recall = custody.Read((rules, _) => ledger.Find(Id) is { } record ? RecallViews.View(rules, ledger, record, now, withPacks: true) : null);
        return Recall is not null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} exported the packs of recall {RecallId} as CSV ({Packs} rows)")]
    private partial void LogExported(string actor, string recallId, int packs);
}
